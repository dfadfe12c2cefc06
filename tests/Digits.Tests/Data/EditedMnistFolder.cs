using Digits.Data;

namespace Digits.Tests.Data;

/// <summary>
/// A temp folder the store takes for MNIST: the four real files are symbolic links to the shared copy (nothing is
/// copied), and a test replaces one of them with an edited version it writes itself. Deleted after the test, so edited
/// MNIST never lands in the repository.
/// </summary>
internal sealed class EditedMnistFolder : IDisposable
{
    private readonly TempFolder folder = new();

    public EditedMnistFolder()
    {
        foreach (var file in DatasetCatalog.Mnist.Files)
        {
            string real = Directory.GetFiles(TestData.MnistDirectory, file.FileName + "*").Single();
            File.CreateSymbolicLink(folder.File(System.IO.Path.GetFileName(real)), real);
        }
    }

    public string Path => folder.Path;

    /// <summary>MNIST's test labels with the first <paramref name="count"/> changed to the next digit.</summary>
    public EditedMnistFolder WithTestLabelsChanged(int count)
    {
        byte[] labels = (byte[])TestData.Mnist.Test.Labels.Clone();
        for (int i = 0; i < count; i++)
            labels[i] = (byte)((labels[i] + 1) % 10);
        return Replace(DatasetCatalog.Mnist.TestLabels, new IdxArray([labels.Length], labels));
    }

    /// <summary>MNIST's test images cut down to their central <paramref name="side"/> × <paramref name="side"/> pixels.</summary>
    public EditedMnistFolder WithTestImagesCropped(int side)
    {
        var test = TestData.Mnist.Test;
        int margin = (test.Rows - side) / 2;
        var pixels = new byte[test.Count * side * side];
        for (int n = 0; n < test.Count; n++)
        {
            var image = test.Image(n);
            for (int y = 0; y < side; y++)
                image.Slice((y + margin) * test.Cols + margin, side).CopyTo(pixels.AsSpan((n * side + y) * side, side));
        }
        return Replace(DatasetCatalog.Mnist.TestImages, new IdxArray([test.Count, side, side], pixels));
    }

    /// <summary>The full path the store will report for <paramref name="file"/> (raw, after a replacement).</summary>
    public string PathOf(DatasetFile file) => Directory.GetFiles(Path, file.FileName + "*").Single();

    public LoadedDataset Load()
        => DatasetStore.Load(new DatasetStore(new DatasetStoreOptions { DataDirectory = Path, AllowDownload = false }).TryLocate(DatasetCatalog.Mnist)!);

    public void Dispose() => folder.Dispose();

    private EditedMnistFolder Replace(DatasetFile file, IdxArray content)
    {
        File.Delete(PathOf(file));
        IdxWriter.Write(folder.File(file.FileName), content, gzip: false);
        return this;
    }
}
