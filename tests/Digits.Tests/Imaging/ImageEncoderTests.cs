using Digits.Imaging;

namespace Digits.Tests.Imaging;

public sealed class ImageEncoderTests : IDisposable
{
    readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("digits-encoder-");

    public void Dispose() => folder.Delete(recursive: true);

    static GrayImage Sample() => new(5, 3, [.. Enumerable.Range(0, 15).Select(i => (byte)(i * 17))]);

    [Fact]
    public void SavePng_replaces_the_file_whole_and_leaves_no_temporary_files()
    {
        var path = Path.Combine(folder.FullName, "digit.png");
        File.WriteAllText(path, "old content");

        ImageEncoder.SavePng(path, Sample());

        Assert.Equal(["digit.png"], folder.GetFiles().Select(f => f.Name));
        Assert.Equal(Sample().Pixels, ImageDecoder.Decode(path).Pixels);
    }

    [Fact]
    public void EncodePng_enlarges_by_nearest_neighbour()
    {
        var big = ImageDecoder.Decode(ImageEncoder.EncodePng(Sample(), scale: 3), "big.png");

        Assert.Equal((15, 9), (big.Width, big.Height));
        for (int y = 0; y < 9; y++)
        {
            for (int x = 0; x < 15; x++)
                Assert.Equal(Sample()[x / 3, y / 3], big[x, y]);
        }
    }

    [Fact]
    public void SavePng_under_a_file_instead_of_a_folder_names_the_path()
    {
        var blocker = Path.Combine(folder.FullName, "not-a-folder");
        File.WriteAllText(blocker, "x");
        var path = Path.Combine(blocker, "digit.png");

        var e = Assert.Throws<DigitsException>(() => ImageEncoder.SavePng(path, Sample()));

        Assert.Equal($"{path}: cannot write: {blocker} is a file, not a folder", e.Message);
    }

    [Fact]
    public void SavePng_creates_a_missing_folder()
    {
        var path = Path.Combine(folder.FullName, "new-folder", "digit.png");

        ImageEncoder.SavePng(path, Sample());

        Assert.Equal(Sample().Pixels, ImageDecoder.Decode(path).Pixels);
    }
}
