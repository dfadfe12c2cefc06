namespace Digits.Tests.Cli;

public class TuneCommandTests
{
    [Fact]
    public void Tune_prints_the_contract_shape_draws_a_chart_and_saves_the_best()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("tune", "logreg", "--data", TestData.MnistDirectory, "--subset", "900", "--grid", "C=0.01,1",
            "--folds", "3", "--heatmap", tmp.File("sweep.png"), "--out", tmp.File("best.json"), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal("logreg", json.GetProperty("kind").GetString());
        Assert.Equal(3, json.GetProperty("folds").GetInt32());
        Assert.Equal(2, json.GetProperty("trials").GetArrayLength());
        var trial = json.GetProperty("trials")[0];
        Assert.Equal(0.01, trial.GetProperty("params").GetProperty("C").GetDouble());
        Assert.InRange(trial.GetProperty("cv_mean").GetDouble(), 0.5, 1.0);
        Assert.True(json.GetProperty("best").TryGetProperty("C", out _));
        Assert.True(File.Exists(json.GetProperty("heatmap").GetString()));
        Assert.Contains("\"best\"", File.ReadAllText(tmp.File("best.json")));
    }

    [Fact]
    public void A_bad_grid_is_a_usage_error()
    {
        var r = CliRunner.Run("tune", "logreg", "--grid", "gamma=1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --grid: unknown parameter 'gamma', expected one of C", r.Stderr.Trim());
    }
}

public class TuneSvmCommandTests
{
    [Fact]
    public void Tuning_the_svm_over_two_parameters_draws_a_heatmap()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("tune", "svm", "--data", TestData.MnistDirectory, "--subset", "600", "--grid", "C=1,5;gamma=0.02,0.05",
            "--folds", "2", "--heatmap", tmp.File("heat.png"), "--out", tmp.File("best.json"), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal(4, json.GetProperty("trials").GetArrayLength());
        Assert.True(json.GetProperty("best").TryGetProperty("gamma", out _));
        var heat = Digits.Imaging.ImageDecoder.Decode(tmp.File("heat.png"));
        Assert.True(heat.Width >= 600);
    }

    [Fact]
    public void Deskew_and_the_kernel_form_reach_every_trial_and_the_saved_file()
    {
        using var tmp = new TempFolder();
        double CvMean(params string[] extra)
        {
            var r = CliRunner.Run(["tune", "svm", "--data", TestData.MnistDirectory, "--subset", "400", "--grid", "C=5;gamma=0.02",
                "--folds", "2", "--heatmap", tmp.File("heat.png"), "--out", tmp.File("best.json"), "--json", .. extra]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            return r.Json().GetProperty("best_cv_accuracy").GetDouble();
        }
        double plain = CvMean();
        double deskewed = CvMean("--deskew");
        Assert.Contains("\"deskew\":true", File.ReadAllText(tmp.File("best.json")));
        double poly = CvMean("--kernel", "poly", "--degree", "2");
        Assert.NotEqual(plain, deskewed);
        Assert.NotEqual(plain, poly);
    }

    [Fact]
    public void A_bad_degree_is_a_usage_error()
    {
        var r = CliRunner.Run("tune", "svm", "--kernel", "poly", "--degree", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --degree: must be 1 to 10, got 0", r.Stderr.Trim());
    }
}
