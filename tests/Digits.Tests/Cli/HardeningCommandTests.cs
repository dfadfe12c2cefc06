using Digits.Data;
using Digits.Tests.Data;

namespace Digits.Tests.Cli;

/// <summary>Results a script can trust: exact subsets, honest names for edited test files, unwrapped output, every written file named.</summary>
public class HardeningCommandTests
{
    [Fact]
    public void Evaluate_on_edited_test_labels_says_mismatch_and_never_calls_them_mnist_test()
    {
        using var tmp = new TempFolder();
        string model = tmp.File("m.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "logreg", "--data", TestData.MnistDirectory, "--subset", "300", "--out", model).ExitCode);
        using var edited = new EditedMnistFolder().WithTestLabelsChanged(2000);

        var json = CliRunner.Run("evaluate", model, "--data", edited.Path, "--json");
        var human = CliRunner.Run("evaluate", model, "--data", edited.Path);

        Assert.Equal(0, json.ExitCode);
        Assert.Equal("mismatch", json.Json().GetProperty("checksums").GetString());
        Assert.Equal(edited.Path, json.Json().GetProperty("dataset").GetString());
        Assert.Contains("t10k-labels-idx1-ubyte: checksum mismatch", json.Stderr);
        Assert.DoesNotContain("MNIST test", human.Stdout);
        Assert.Contains("checksum mismatch", human.Stdout);
    }

    [Fact]
    public void Train_and_evaluate_refuse_test_images_of_another_size_in_words()
    {
        using var edited = new EditedMnistFolder().WithTestImagesCropped(20);
        var r = CliRunner.Run("train", "logreg", "--data", edited.Path, "--subset", "100", "--out", Path.Combine(edited.Path, "m.safetensors"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {edited.PathOf(DatasetCatalog.Mnist.TestImages)}: images are 20x20, but MNIST images are 28x28", r.Stderr.Trim());
    }

    [Theory]
    [InlineData("600")]
    [InlineData("999")]
    [InlineData("1000")]
    public void Subset_trains_on_exactly_the_images_asked_for(string count)
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("train", "logreg", "--data", TestData.MnistDirectory, "--subset", count, "--out", tmp.File("m.safetensors"), "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), r.Json().GetProperty("train_count").GetInt32());
    }

    [Fact]
    public void Threads_above_the_processor_count_are_capped_with_a_note()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("train", "logreg", "--data", TestData.MnistDirectory, "--subset", "100", "--threads", "512", "--out", tmp.File("m.safetensors"), "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Environment.ProcessorCount, r.Json().GetProperty("threads").GetInt32());
        Assert.Contains($"note: --threads 512 is more than the {Environment.ProcessorCount} processors here", r.Stderr);
    }

    [Fact]
    public void Piped_output_keeps_each_line_whole_and_every_written_file_is_named_on_stderr()
    {
        using var tmp = new TempFolder();
        string model = tmp.File("a-model-file-with-a-rather-long-name-so-that-lines-would-wrap-at-eighty-columns.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "logreg", "--data", TestData.MnistDirectory, "--subset", "100", "--out", model).ExitCode);
        string sha = Digits.Persistence.ModelFile.Load(model).Metadata.TrainDataSha256;

        var info = CliRunner.Run("model", "info", model);
        var evaluate = CliRunner.Run("evaluate", model, "--data", TestData.MnistDirectory, "--confusion", tmp.File("c.png"), "--errors", tmp.File("e.png"));

        Assert.Contains(info.Stdout.Split('\n'), line => line.Contains(sha) && line.StartsWith("train data sha256", StringComparison.Ordinal));
        Assert.Contains(info.Stdout.Split('\n'), line => line.StartsWith(model, StringComparison.Ordinal));
        Assert.Contains(evaluate.Stdout.Split('\n'), line => line.Contains("MNIST test (10,000 images): accuracy", StringComparison.Ordinal) && line.Contains("log loss", StringComparison.Ordinal));
        Assert.Contains($"wrote {tmp.File("c.png")} (confusion matrix)", evaluate.Stderr);
        Assert.Contains($"wrote {tmp.File("e.png")} (most confident mistakes)", evaluate.Stderr);
    }

    [Fact]
    public void Tuning_one_parameter_of_two_keeps_the_other_at_its_default()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("tune", "svm", "--data", TestData.MnistDirectory, "--subset", "300", "--grid", "C=1", "--folds", "2",
            "--heatmap", tmp.File("h.png"), "--out", tmp.File("best.json"), "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(1, r.Json().GetProperty("best").GetProperty("C").GetDouble());
    }

    [Fact]
    public void A_run_that_diverges_after_a_good_epoch_keeps_that_epoch_beside_out_and_leaves_out_alone()
    {
        using var tmp = new TempFolder();
        string checkpoint = tmp.File("ck.safetensors"), model = tmp.File("m.safetensors");
        string[] common = ["train", "cnn-fast", "--data", TestData.MnistDirectory, "--subset", "600", "--validation", "0.1", "--checkpoint", checkpoint, "--out", model];
        Assert.Equal(0, CliRunner.Run([.. common, "--epochs", "1"]).ExitCode);
        byte[] good = File.ReadAllBytes(model), goodCheckpoint = File.ReadAllBytes(checkpoint);

        var r = CliRunner.Run([.. common, "--epochs", "3", "--resume", "--lr", "1e30", "--json"]);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains($"wrote {tmp.File("m.interrupted.safetensors")} (the last finite model; {model} was left as it was)", r.Stderr);
        Assert.Contains("error: training: the loss became NaN in epoch 2", r.Stderr);
        Assert.Equal(good, File.ReadAllBytes(model));
        Assert.Equal(goodCheckpoint, File.ReadAllBytes(checkpoint));
        var kept = ModelLoader.Load(tmp.File("m.interrupted.safetensors"));
        var probabilities = new float[10];
        kept.Predict(TestData.Mnist.Test.Image(0), 1, probabilities);
        Assert.All(probabilities, p => Assert.True(float.IsFinite(p)));
    }
}
