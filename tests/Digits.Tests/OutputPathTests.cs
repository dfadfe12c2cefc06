using Digits.Persistence;

namespace Digits.Tests;

public class OutputPathTests
{
    [Fact]
    public void An_output_that_is_an_input_through_a_symlink_is_refused_as_a_usage_error()
    {
        using var tmp = new TempFolder();
        string input = tmp.File("model.safetensors");
        File.WriteAllText(input, "model");
        Directory.CreateDirectory(tmp.File("sub"));
        Directory.CreateSymbolicLink(tmp.File("linked-folder"), tmp.Path);
        string sameThroughFolderLink = Path.Combine(tmp.Path, "linked-folder", "sub", "..", "model.safetensors");

        var e = Assert.Throws<InvalidOptionException>(() => OutputPath.Check(sameThroughFolderLink, "--out", [input]));

        Assert.Equal("--out", e.Subject);
        Assert.Contains("is also an input", e.Problem);
        Assert.Equal("model", File.ReadAllText(input));
    }

    [Fact]
    public void A_new_file_beside_the_inputs_is_accepted_and_nothing_is_left_behind()
    {
        using var tmp = new TempFolder();
        string input = tmp.File("in.png");
        File.WriteAllText(input, "x");

        string full = OutputPath.Check(tmp.File("deeper/out.png"), "--out", [input, null]);

        Assert.Equal(tmp.File("deeper/out.png"), full);
        Assert.Empty(Directory.GetFiles(tmp.File("deeper")));
    }

    [Fact]
    public void A_folder_an_empty_name_and_a_file_in_place_of_a_folder_are_refused_before_any_work()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp.File("notes.txt"), "x");

        Assert.Contains("is a directory", Assert.Throws<InvalidOptionException>(() => OutputPath.Check(tmp.Path, "--out", [])).Problem);
        Assert.Contains("is empty", Assert.Throws<InvalidOptionException>(() => OutputPath.Check(" ", "--out", [])).Problem);
        var e = Assert.Throws<DigitsException>(() => OutputPath.Check(tmp.File("notes.txt/m.safetensors"), "--out", []));
        Assert.Contains("is a file, not a folder", e.Problem);
    }

    [Fact]
    public void A_folder_that_cannot_take_files_is_refused()
    {
        var e = Assert.Throws<DigitsException>(() => OutputPath.Check("/proc/m.safetensors", "--out", []));
        Assert.Equal("/proc/m.safetensors", e.Subject);
        Assert.StartsWith("cannot write in /proc", e.Problem);
    }

    [Fact]
    public void An_output_larger_than_the_free_space_is_refused_with_both_sizes()
    {
        using var tmp = new TempFolder();
        var e = Assert.Throws<DigitsException>(() => OutputPath.Check(tmp.File("huge.bin"), "--out", [], bytesNeeded: long.MaxValue / 2));
        Assert.Matches(@"^only [\d.]+ MB free in .+, and this output needs about [\d.]+ MB$", e.Problem);
    }

    [Fact]
    public void Two_outputs_of_one_command_may_not_be_the_same_file()
    {
        using var tmp = new TempFolder();
        var e = Assert.Throws<InvalidOptionException>(() =>
            OutputPath.CheckAll([(tmp.File("a.png"), "--confusion"), (null, "--unused"), (tmp.File("./a.png"), "--errors")], []));
        Assert.Equal("--errors", e.Subject);
        Assert.Contains("also given as --confusion", e.Problem);
    }

    [Fact]
    public void An_unfinished_run_saves_beside_the_output_and_leaves_the_output_alone()
    {
        using var tmp = new TempFolder();
        string path = tmp.File("cnn.safetensors");
        File.WriteAllText(path, "a good model from before");
        var output = ModelOutput.Check(path, "--out", []);
        var metadata = new ModelMetadata
        {
            Kind = ModelKind.LogReg, Labels = ["0", "1"], Architecture = "{}", Preprocessing = new Preprocessing(false), Command = "test", Seed = 1, Metrics = "{}",
            TrainDataSha256 = new string('0', 64),
        };

        string written = output.Save(metadata, [TensorData.FromFloats("weight", [1f, 2f], 1, 2)], finished: false);

        Assert.Equal(tmp.File("cnn.interrupted.safetensors"), written);
        Assert.Equal("a good model from before", File.ReadAllText(path));
        Assert.Equal(tmp.File("cnn.safetensors"), output.Save(metadata, [TensorData.FromFloats("weight", [1f, 2f], 1, 2)], finished: true));
        Assert.Equal("x.interrupted", Path.GetFileName(OutputPath.Interrupted("x")));
    }
}
