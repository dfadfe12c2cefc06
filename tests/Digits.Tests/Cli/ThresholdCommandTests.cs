using System.Security.Cryptography;
using System.Text.Json;
using Digits.Persistence;

namespace Digits.Tests.Cli;

/// <summary><c>digits model threshold</c>: a copy of the model with <c>min_confidence</c> chosen on labelled pictures.</summary>
public class ThresholdCommandTests
{
    private static readonly string Bundled = Path.Combine(TestData.RepoRoot, "models", "digits-cnn.safetensors");

    /// <summary>The samples with one digit as a labelled folder (one subfolder per label).</summary>
    private static string LabelledFolder(TempFolder tmp)
    {
        string folder = tmp.File("val-samples");
        foreach (var row in DigitModelTests.DigitSamples)
        {
            string label = Path.Combine(folder, ((int)row[1]).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(label);
            File.Copy(DigitModelTests.Sample((string)row[0]), Path.Combine(label, (string)row[0]));
        }
        return folder;
    }

    [Fact]
    public void It_writes_a_copy_with_min_confidence_and_its_basis_and_leaves_the_input_alone()
    {
        using var tmp = new TempFolder();
        string images = LabelledFolder(tmp), output = tmp.File("thresholded.safetensors");
        string before = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Bundled)));

        var r = CliRunner.Run("model", "threshold", Bundled, "--images", images, "--precision", "0.99", "--out", output, "--json");

        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        Assert.Equal(0.0, json.GetProperty("min_confidence").GetDouble());
        Assert.Equal(0.99, json.GetProperty("target_precision").GetDouble());
        Assert.Equal(1.0, json.GetProperty("precision").GetDouble());
        Assert.Equal(6, json.GetProperty("count").GetInt32());
        Assert.Equal(6, json.GetProperty("statuses").GetProperty("ok").GetInt32());
        Assert.Equal(output, json.GetProperty("out").GetString());
        Assert.Contains($"wrote {output} (min_confidence 0)", r.Stderr);

        Assert.Equal(before, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Bundled))));
        var copy = ModelFile.Load(output);
        Assert.Equal(0.0, copy.Metadata.MinConfidence);
        using var basis = JsonDocument.Parse(copy.Metadata.MinConfidenceBasis!);
        Assert.Equal("val-samples", basis.RootElement.GetProperty("images").GetString());
        Assert.Equal(0.99, basis.RootElement.GetProperty("target_precision").GetDouble());
        var original = ModelFile.Load(Bundled);
        Assert.Equal(original.Metadata with { MinConfidence = null, MinConfidenceBasis = null },
            copy.Metadata with { MinConfidence = null, MinConfidenceBasis = null });
        Assert.Equal(original.File.Tensors.Select(t => t.Name), copy.File.Tensors.Select(t => t.Name));
        Assert.Equal(0.0, DigitModel.Load(output).MinConfidence);
    }

    [Fact]
    public void The_threshold_it_stores_is_what_predict_uses_by_default()
    {
        using var tmp = new TempFolder();
        string output = tmp.File("m.safetensors");
        Assert.Equal(0, CliRunner.Run("model", "threshold", Bundled, "--images", LabelledFolder(tmp), "--out", output).ExitCode);

        var r = CliRunner.Run("predict", DigitModelTests.Sample("photo-3.jpg"), DigitModelTests.Sample("canvas-2.png"), "--model", output);

        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith($"model {output}, min_confidence 0", r.Stdout.Trim());
    }

    [Fact]
    public void Model_info_shows_min_confidence_and_how_it_was_chosen()
    {
        var json = CliRunner.Run("model", "info", Bundled, "--json").Json();

        Assert.Equal(DigitModel.LoadDefault().MinConfidence, json.GetProperty("min_confidence").GetDouble());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("min_confidence_basis").ValueKind);
    }
}
