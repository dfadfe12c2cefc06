using Digits.Neural;
using Digits.Persistence;

namespace Digits.Tests.Cli;

/// <summary>The train → evaluate → model info → export round trip through the real CLI, on a few hundred images.</summary>
public class TrainCommandTests
{
    [Fact]
    public void Train_evaluate_info_and_export_work_together_on_a_small_subset()
    {
        using var tmp = new TempFolder();
        string model = tmp.File("fast.safetensors");
        var train = CliRunner.Run("train", "cnn-fast", "--data", TestData.MnistDirectory, "--subset", "600", "--epochs", "4", "--validation", "0.1", "--seed", "3", "--out", model, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var json = train.Json();
        Assert.Equal(model, json.GetProperty("model").GetString());
        Assert.Equal("cnn", json.GetProperty("kind").GetString());
        Assert.Equal("cnn-fast", json.GetProperty("recipe").GetString());
        Assert.Equal(4, json.GetProperty("epochs").GetInt32());
        Assert.Equal(3UL, json.GetProperty("seed").GetUInt64());
        Assert.InRange(json.GetProperty("test_accuracy").GetDouble(), 0.5, 1.0);
        Assert.InRange(json.GetProperty("validation_accuracy").GetDouble(), 0.3, 1.0);
        int trainCount = json.GetProperty("train_count").GetInt32(), validationCount = json.GetProperty("validation_count").GetInt32();
        Assert.InRange(trainCount + validationCount, 595, 605);
        Assert.InRange(validationCount, 55, 65);

        var calibration = json.GetProperty("calibration");
        double temperature = calibration.GetProperty("temperature").GetDouble();
        Assert.InRange(temperature, Calibration.MinTemperature, Calibration.MaxTemperature);
        Assert.InRange(calibration.GetProperty("ece_after").GetDouble(), 0, 1);
        Assert.InRange(json.GetProperty("test_ece_uncalibrated").GetDouble(), 0, 1);

        var meta = ModelFile.Load(model).Metadata;
        Assert.Equal(temperature, meta.Calibration!.Temperature);
        Assert.Equal("cnn-fast", meta.Recipe);
        Assert.Contains("train cnn-fast", meta.Command);
        Assert.Equal(3, meta.Seed);

        var evaluate = CliRunner.Run("evaluate", model, "--data", TestData.MnistDirectory, "--errors", tmp.File("errors.png"), "--confusion", tmp.File("confusion.png"),
            "--reliability", tmp.File("reliability.png"), "--json");
        Assert.Equal(0, evaluate.ExitCode);
        var e = evaluate.Json();
        Assert.Equal(json.GetProperty("test_accuracy").GetDouble(), e.GetProperty("accuracy").GetDouble());
        Assert.Equal(json.GetProperty("test_ece").GetDouble(), e.GetProperty("ece").GetDouble(), 1e-9);
        Assert.Equal(temperature, e.GetProperty("temperature").GetDouble());
        Assert.Contains("reliability diagram", evaluate.Stderr);
        Assert.True(new FileInfo(tmp.File("reliability.png")).Length > 10_000);
        Assert.Equal(10000, e.GetProperty("count").GetInt32());
        Assert.Equal("mnist-test", e.GetProperty("dataset").GetString());
        Assert.Equal(2, e.GetProperty("accuracy_ci95").GetArrayLength());
        Assert.Equal(10, e.GetProperty("per_class").GetArrayLength());
        Assert.Equal(10, e.GetProperty("confusion").GetArrayLength());
        Assert.True(File.Exists(tmp.File("errors.png")) && File.Exists(tmp.File("confusion.png")));

        var info = CliRunner.Run("model", "info", model, "--json");
        Assert.Equal(0, info.ExitCode);
        Assert.Equal(10, info.Json().GetProperty("layers").GetArrayLength());
        Assert.Equal(215194, info.Json().GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("parameters").GetInt64()));
        Assert.Equal(temperature, info.Json().GetProperty("calibration").GetProperty("temperature").GetDouble());

        var export = CliRunner.Run("export", model, "--onnx", tmp.File("fast.onnx"), "--json");
        Assert.Equal(0, export.ExitCode);
        Assert.True(new FileInfo(tmp.File("fast.onnx")).Length > 100_000);
        Assert.Equal(temperature, export.Json().GetProperty("temperature").GetDouble());
    }

    [Fact]
    public void Without_a_validation_split_a_model_is_not_calibrated()
    {
        using var tmp = new TempFolder();
        string model = tmp.File("plain.safetensors");
        var train = CliRunner.Run("train", "logreg", "--data", TestData.MnistDirectory, "--subset", "500", "--out", model, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, train.Json().GetProperty("calibration").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, train.Json().GetProperty("test_ece_uncalibrated").ValueKind);
        Assert.InRange(train.Json().GetProperty("test_ece").GetDouble(), 0, 1);
        Assert.Null(ModelFile.Load(model).Metadata.Calibration);
        Assert.IsNotType<CalibratedModel>(ModelLoader.Load(model));
    }

    [Theory]
    [InlineData("logreg")]
    [InlineData("linear-svm")]
    [InlineData("svm")]
    public void Classical_models_train_save_and_evaluate_from_the_cli(string kind)
    {
        using var tmp = new TempFolder();
        string model = tmp.File(kind + ".safetensors");
        var train = CliRunner.Run("train", kind, "--data", TestData.MnistDirectory, "--subset", "2000", "--validation", "0.2", "--deskew", "--out", model, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var json = train.Json();
        Assert.Equal(kind, json.GetProperty("kind").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("recipe").ValueKind);
        Assert.InRange(json.GetProperty("test_accuracy").GetDouble(), 0.8, 1.0);
        Assert.InRange(json.GetProperty("validation_accuracy").GetDouble(), 0.75, 1.0);
        Assert.True(ModelFile.Load(model).Metadata.Preprocessing.Deskew);

        var evaluate = CliRunner.Run("evaluate", model, "--data", TestData.MnistDirectory, "--json");
        Assert.Equal(0, evaluate.ExitCode);
        Assert.Equal(json.GetProperty("test_accuracy").GetDouble(), evaluate.Json().GetProperty("accuracy").GetDouble());
        var info = CliRunner.Run("model", "info", model, "--json");
        Assert.Equal(kind, info.Json().GetProperty("kind").GetString());
        Assert.Equal(json.GetProperty("calibration").GetProperty("temperature").GetDouble(), ModelFile.Load(model).Metadata.Calibration!.Temperature);
    }

    [Fact]
    public void Subset_mode_first_trains_on_exactly_the_first_images()
    {
        using var tmp = new TempFolder();
        string model = tmp.File("first.safetensors");
        var r = CliRunner.Run("train", "logreg", "--data", TestData.MnistDirectory, "--subset", "500", "--subset-mode", "first", "--out", model, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(500, r.Json().GetProperty("train_count").GetInt32());
        Assert.Equal(TestData.Mnist.Train.Take(500).ContentSha256(), ModelFile.Load(model).Metadata.TrainDataSha256);
    }

    [Fact]
    public void A_bad_regularization_is_a_usage_error_naming_the_option()
    {
        var r = CliRunner.Run("train", "logreg", "--C", "-1");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: --C: ", r.Stderr);
    }

    [Fact]
    public void A_truncated_model_file_is_one_error_line()
    {
        using var tmp = new TempFolder();
        string bad = tmp.File("bad.safetensors");
        File.WriteAllBytes(bad, [200, 0, 0, 0, 0, 0, 0, 0, (byte)'{']);
        var r = CliRunner.Run("evaluate", bad, "--data", TestData.MnistDirectory);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: {bad}: truncated", r.Stderr.Trim());
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Bad_training_options_are_usage_errors()
    {
        var r = CliRunner.Run("train", "keras", "--data", TestData.MnistDirectory, "--validation", "0.95");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --validation: must be in [0, 0.9), got 0.95", r.Stderr.Trim());
        var e = CliRunner.Run("train", "cnn", "--resume");
        Assert.Equal(2, e.ExitCode);
        Assert.Contains("--resume", e.Stderr);
    }

    [Fact]
    public void An_ensemble_keeps_a_checkpoint_per_member_and_resume_retrains_only_what_is_missing()
    {
        using var tmp = new TempFolder();
        string[] Args(string output, params string[] extra) =>
            ["train", "cnn-fast", "--ensemble", "2", "--data", TestData.MnistDirectory, "--subset", "500", "--epochs", "2",
             "--validation", "0.2", "--seed", "5", "--threads", "1", "--checkpoint", tmp.File("ck.safetensors"), "--out", output, "--json", .. extra];
        var first = CliRunner.Run(Args(tmp.File("a.safetensors")));
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal("ensemble", first.Json().GetProperty("kind").GetString());
        Assert.True(File.Exists(tmp.File("ck.m1.safetensors")) && File.Exists(tmp.File("ck.m2.safetensors")));
        Assert.Equal(5, ModelFile.Load(tmp.File("ck.m1.safetensors")).Metadata.Seed);
        Assert.Equal(6, ModelFile.Load(tmp.File("ck.m2.safetensors")).Metadata.Seed);

        File.Delete(tmp.File("ck.m2.safetensors"));
        var resumed = CliRunner.Run(Args(tmp.File("b.safetensors"), "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(first.Json().GetProperty("test_log_loss").GetDouble(), resumed.Json().GetProperty("test_log_loss").GetDouble());
        Assert.Equal(first.Json().GetProperty("validation_accuracy").GetDouble(), resumed.Json().GetProperty("validation_accuracy").GetDouble());
        Assert.True(File.Exists(tmp.File("ck.m2.safetensors")));
    }

    [Fact]
    public void A_cnn_ensemble_alternates_elastic_members_and_chooses_them_on_validation()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("train", "cnn", "--ensemble", "2", "--data", TestData.MnistDirectory, "--subset", "300", "--epochs", "1",
            "--validation", "0.2", "--threads", "1", "--out", tmp.File("e.safetensors"), "--json", "--verbose");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("ensemble member 1/2 (seed 1)", r.Stderr);
        Assert.Contains("ensemble member 2/2 (seed 2, elastic α=36 σ=6)", r.Stderr);
        Assert.Contains("member 2: validation accuracy", r.Stderr);
        Assert.Contains("ensemble selection on validation keeps members", r.Stderr);
        var ensemble = EnsembleClassifier.FromModelFile(ModelFile.Load(tmp.File("e.safetensors")));
        Assert.InRange(ensemble.Members.Count, 1, 2);
        Assert.Equal(EnsembleClassifier.MemberMaxBatch, ensemble.Members[0].MaxBatch);
    }
}
