using Digits.Persistence;

namespace Digits.Tests;

public class AtomicFileTests
{
    [Fact]
    public void Writing_leaves_only_the_target_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");

        new SafeTensors([TensorData.FromFloats("w", [1f, 2f], 2)]).Write(path);
        new SafeTensors([TensorData.FromFloats("w", [3f], 1)]).Write(path);

        Assert.Equal([path], Directory.GetFiles(folder.Path));
        Assert.Equal([3f], SafeTensors.Read(path).Find("w")!.AsFloats().ToArray());
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_file_intact_and_no_temporary_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        File.WriteAllText(path, "old");

        var e = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new InvalidOperationException("disk on fire");
        }));

        Assert.Equal("disk on fire", e.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void An_io_failure_is_a_digits_exception_naming_the_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        File.WriteAllText(path, "old");

        var e = Assert.Throws<DigitsException>(() => AtomicFile.Write(path, _ => throw new IOException("No space left on device")));

        Assert.Equal(path, e.Subject);
        Assert.Equal("cannot write: No space left on device", e.Problem);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Missing_folders_are_created()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "models", "nested", "m.safetensors");

        new SafeTensors([TensorData.FromBytes("b", [1, 2, 3], 3)]).Write(path);

        Assert.Equal([1, 2, 3], SafeTensors.Read(path).Find("b")!.Bytes.ToArray());
    }
}
