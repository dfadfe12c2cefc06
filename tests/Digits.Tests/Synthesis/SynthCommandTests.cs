using System.Text.Json;
using Digits.Tests.Cli;

namespace Digits.Tests.Synthesis;

/// <summary>A small logreg model made once through the CLI, for the commands that score folders.</summary>
public sealed class SynthModelFixture : IDisposable
{
    private readonly TempFolder folder = new();

    public SynthModelFixture()
    {
        Model = folder.File("logreg.safetensors");
        var r = CliRunner.Run("train", "logreg", "--data", TestData.MnistDirectory, "--subset", "2000", "--out", Model);
        if (r.ExitCode != 0)
            throw new InvalidOperationException("could not train the fixture model: " + r.Stderr);
    }

    public string Model { get; }

    public void Dispose() => folder.Dispose();
}

/// <summary>The synth commands and <c>evaluate --images</c> as a script runs them: one JSON object, files as promised.</summary>
public class SynthCommandTests(SynthModelFixture fixture) : IClassFixture<SynthModelFixture>
{
    [Fact]
    public void Synth_scans_json_is_one_object_describing_the_set()
    {
        using var folder = new TempFolder();
        string set = folder.File("scans");

        var r = CliRunner.Run("data", "synth-scans", "--data", TestData.MnistDirectory, "--split", "test", "--seed", "3", "--count", "20", "--out", set, "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal(set, json.GetProperty("out").GetString());
        Assert.Equal("test", json.GetProperty("split").GetString());
        Assert.Equal(20, json.GetProperty("count").GetInt32());
        Assert.Equal(20, json.GetProperty("class_counts").EnumerateArray().Sum(c => c.GetInt32()));
        Assert.Equal(30, json.GetProperty("ranges").GetProperty("digit_height").GetProperty("min").GetDouble());
        Assert.Equal(21, Directory.GetFiles(set).Length);
    }

    [Fact]
    public void A_model_scores_well_above_chance_on_50_scans()
    {
        using var folder = new TempFolder();
        string set = folder.File("scans");
        var made = CliRunner.Run("data", "synth-scans", "--data", TestData.MnistDirectory, "--split", "test", "--seed", "1", "--count", "50", "--out", set);
        Assert.True(made.ExitCode == 0, made.Stderr);

        var r = CliRunner.Run("evaluate", fixture.Model, "--images", set, "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal(set, json.GetProperty("dataset").GetString());
        Assert.Equal("labels.csv", json.GetProperty("layout").GetString());
        Assert.Equal(50, json.GetProperty("count").GetInt32());
        double accuracy = json.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy > 0.5, $"accuracy {accuracy} on 50 scans, chance is 0.1");
        var ci = json.GetProperty("accuracy_ci95").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.InRange(accuracy, ci[0], ci[1]);
        Assert.Equal(50, json.GetProperty("statuses").EnumerateObject().Sum(s => s.Value.GetInt32()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("group_by").ValueKind);
    }

    [Fact]
    public void Evaluate_images_reads_a_subfolder_per_label()
    {
        using var folder = new TempFolder();
        for (int i = 0; i < 20; i++)
        {
            string dir = folder.File(TestData.Mnist.Test.Labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            Digits.Imaging.ImageEncoder.SavePng(Path.Combine(dir, $"{i}.png"), new Digits.Imaging.GrayImage(28, 28, TestData.Mnist.Test.Image(i).ToArray()));
        }

        var r = CliRunner.Run("evaluate", fixture.Model, "--images", folder.Path, "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal("subfolders", json.GetProperty("layout").GetString());
        Assert.Equal(20, json.GetProperty("count").GetInt32());
        Assert.Equal(20, json.GetProperty("statuses").GetProperty("ok").GetInt32());
        Assert.True(json.GetProperty("accuracy").GetDouble() > 0.7);
        Assert.Equal(10, json.GetProperty("per_class").GetArrayLength());
    }

    [Fact]
    public void Synth_fonts_with_the_installed_fonts_is_scored_per_font()
    {
        using var folder = new TempFolder();
        string set = folder.File("fonts");
        var made = CliRunner.Run("data", "synth-fonts", "--seed", "2", "--count", "20", "--out", set, "--json");
        Assert.True(made.ExitCode == 0, "install the fonts with the apt-get line in .ci/run: " + made.Stderr);
        var fonts = made.Json().GetProperty("fonts").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToHashSet();

        var r = CliRunner.Run("evaluate", fixture.Model, "--images", set, "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = r.Json();
        Assert.Equal("font", json.GetProperty("group_by").GetString());
        var groups = json.GetProperty("per_group").EnumerateArray().ToArray();
        Assert.All(groups, g => Assert.Contains(g.GetProperty("group").GetString(), fonts));
        Assert.Equal(20, groups.Sum(g => g.GetProperty("count").GetInt32()));
    }

    [Fact]
    public void Data_show_draws_a_gallery_of_a_set()
    {
        using var folder = new TempFolder();
        string set = folder.File("scans");
        Assert.Equal(0, CliRunner.Run("data", "synth-scans", "--data", TestData.MnistDirectory, "--count", "6", "--out", set).ExitCode);
        string png = folder.File("gallery.png");

        var r = CliRunner.Run("data", "show", "--images", set, "--count", "6", "--columns", "3", "--scale", "2", "--out", png, "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(6, r.Json().GetProperty("count").GetInt32());
        var gallery = Digits.Imaging.ImageDecoder.Decode(png);
        Assert.True(gallery.Width >= 3 * 56 && gallery.Height >= 2 * 56, $"{gallery.Width}x{gallery.Height}");
    }
}
