using System.Text.Json;

namespace Digits.Tests.Cli;

public class ReportCommandTests
{
    private static readonly string[] ModelNames = ["logreg", "svm", "cnn-fast"];

    [Fact]
    public void A_tiny_report_writes_the_contract_shape_every_chart_it_lists_and_a_table_naming_each_model()
    {
        using var tmp = new TempFolder();
        string folder = tmp.File("results");
        var r = CliRunner.Run("report", "--data", TestData.MnistDirectory, "--out", folder, "--scale", "0.02", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);

        var printed = r.Json();
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var json = file.RootElement;
        Assert.Equal(printed.GetRawText().Replace(" ", ""), json.GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));

        var machine = json.GetProperty("machine");
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("cpu").GetString()));
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("cores").GetInt32());
        Assert.StartsWith(".NET", machine.GetProperty("dotnet").GetString());
        Assert.StartsWith("digits report", json.GetProperty("command").GetString());
        Assert.False(json.GetProperty("interrupted").GetBoolean());
        Assert.Equal(0.02, json.GetProperty("scale").GetDouble());

        var models = json.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(ModelNames, models.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(["logreg", "svm", "cnn"], models.Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal([0.923, 0.967, 0.991], models.Select(m => m.GetProperty("published").GetDouble()));
        foreach (var m in models)
        {
            double accuracy = m.GetProperty("test_accuracy").GetDouble();
            Assert.InRange(accuracy, 0.5, 1.0);
            var ci = m.GetProperty("accuracy_ci95").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(ci.Length == 2 && ci[0] < accuracy && accuracy < ci[1], $"{ci[0]} < {accuracy} < {ci[1]}");
            Assert.True(m.GetProperty("train_seconds").GetDouble() > 0);
            Assert.True(m.GetProperty("predict_seconds").GetDouble() > 0);
            Assert.True(File.Exists(Path.Combine(folder, m.GetProperty("model").GetString()!)));
        }
        Assert.Equal([1200, 200, 1200], models.Select(m => m.GetProperty("train_count").GetInt32()));

        var tuning = json.GetProperty("tuning");
        Assert.Equal(4, tuning.GetProperty("trials").GetArrayLength());
        Assert.Equal(3, tuning.GetProperty("folds").GetInt32());
        var best = tuning.GetProperty("best");
        var svmParameters = models[1].GetProperty("parameters");
        Assert.Equal(best.GetProperty("C").GetDouble(), svmParameters.GetProperty("C").GetDouble());
        Assert.Equal(best.GetProperty("gamma").GetDouble(), svmParameters.GetProperty("gamma").GetDouble());

        string[] charts = [.. json.GetProperty("charts").EnumerateArray().Select(c => c.GetString()!)];
        Assert.Equal(10, charts.Length);
        foreach (string name in (string[])["model-comparison.png", "tuning-svm.png", "learning-curve-cnn-fast.png", "reliability-logreg.png",
            .. ModelNames.Select(n => $"confusion-{n}.png"), .. ModelNames.Select(n => $"mistakes-{n}.png")])
        {
            Assert.Contains(name, charts);
        }
        foreach (string chart in charts)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(folder, chart));
            Assert.True(bytes.AsSpan().StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]), $"{chart} is not a PNG");
        }

        string markdown = File.ReadAllText(Path.Combine(folder, "results.md"));
        Assert.Contains("| model | ours | published | 95% CI | ECE | train s | predict s |", markdown);
        foreach (string name in ModelNames)
            Assert.Contains($"| {name}: ", markdown);
        foreach (string chart in charts)
            Assert.Contains($"]({chart})", markdown);
        foreach (string written in (string[])["results.json", "results.md", .. charts])
            Assert.Contains($"wrote {Path.Combine(folder, written)}", r.Stderr);
    }

    [Fact]
    public void The_human_output_is_a_table_of_the_models_with_the_published_figures()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("report", "--data", TestData.MnistDirectory, "--out", tmp.Path, "--scale", "0.01");
        Assert.True(r.ExitCode == 0, r.Stderr);
        foreach (string row in (string[])["logreg (600 images)", "svm (100 images)", "cnn-fast (600 images)", "92.3%", "96.7%", "99.1%"])
            Assert.Contains(row, r.Stdout);
        Assert.Contains("results.md", r.Stdout);
    }

    [Fact]
    public void A_full_report_reuses_a_matching_ensemble_marks_its_row_and_names_the_files_it_passed_over()
    {
        using var tmp = new TempFolder();
        string ensembles = tmp.File("ensembles");
        Directory.CreateDirectory(ensembles);
        // The report's cnn stage at scale 0.01 trains on a stratified 600 of the training images for seed 1, with 10% for
        // validation; an ensemble of the cnn recipe on those same images matches, one on another sample does not.
        Digits.Tests.Reporting.StudyReportTests.TrainEnsemble(Path.Combine(ensembles, "match.safetensors"), subsetSeed: 1);
        Digits.Tests.Reporting.StudyReportTests.TrainEnsemble(Path.Combine(ensembles, "other.safetensors"), subsetSeed: 2);
        string folder = tmp.File("results");

        var r = CliRunner.Run("report", "--data", TestData.MnistDirectory, "--out", folder, "--scale", "0.01", "--full", "--reuse", ensembles, "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.True(json.GetProperty("full").GetBoolean());
        var models = json.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(["logreg", "logreg-deskew", "linear-svm", "linear-svm-deskew", "svm", "svm-60k", "svm-60k-deskew-vsv", "cnn-fast", "cnn", "cnn-ensemble"],
            models.Select(m => m.GetProperty("name").GetString()));
        Assert.Empty(json.GetProperty("not_run").EnumerateArray());
        var ensemble = models[^1];
        Assert.True(ensemble.GetProperty("reused").GetBoolean());
        Assert.Equal("ensemble", ensemble.GetProperty("kind").GetString());
        Assert.Equal(Path.Combine(ensembles, "match.safetensors"), ensemble.GetProperty("model").GetString());
        Assert.All(models[..^1], m => Assert.False(m.GetProperty("reused").GetBoolean()));
        Assert.False(File.Exists(Path.Combine(folder, "models", "cnn-ensemble.safetensors")));

        // The cnn stage holds out validation images and is calibrated on them: its ECE before and after are both reported.
        var cnn = models[8];
        Assert.Equal(60, cnn.GetProperty("validation_count").GetInt32());
        Assert.True(cnn.GetProperty("temperature").GetDouble() > 0);
        Assert.True(cnn.GetProperty("ece_uncalibrated").GetDouble() >= 0);
        Assert.Contains(json.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("other.safetensors was not used: it was trained on other images"));

        string[] charts = [.. json.GetProperty("charts").EnumerateArray().Select(c => c.GetString()!)];
        foreach (string chart in (string[])["learning-curve-cnn.png", "reliability-cnn.png", "confusion-cnn-ensemble.png", "mistakes-svm-60k-deskew-vsv.png"])
            Assert.Contains(chart, charts);
        Assert.Contains("| cnn-ensemble (reused): ", File.ReadAllText(Path.Combine(folder, "results.md")));
    }

    [Fact]
    public void A_full_report_without_reuse_says_the_ensemble_was_not_run()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("report", "--data", TestData.MnistDirectory, "--out", tmp.Path, "--scale", "0.01", "--full");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"cnn-ensemble\s+│\s+not run", r.Stdout);
        Assert.Contains("| cnn-ensemble: ensemble of cnn models: not run", File.ReadAllText(Path.Combine(tmp.Path, "results.md")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "results.json")));
        Assert.Equal(["cnn-ensemble"], json.RootElement.GetProperty("not_run").EnumerateArray().Select(e => e.GetString()));
        Assert.False(json.RootElement.GetProperty("interrupted").GetBoolean());
    }
}
