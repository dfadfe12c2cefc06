using Digits.Data;

namespace Digits.Tests.Data;

public class LoadedDatasetTests
{
    [Fact]
    public void Real_mnist_splits_are_verified_with_the_same_hashes_as_the_files()
    {
        var mnist = TestData.Mnist;
        Assert.Equal(ChecksumState.Verified, mnist.Checksums(DatasetSplit.Train));
        Assert.Equal(ChecksumState.Verified, mnist.Checksums(DatasetSplit.Test));
        var fromFiles = DatasetStore.Verify(mnist.Location);
        var fromMemory = mnist.VerifySplit(DatasetSplit.Train).Concat(mnist.VerifySplit(DatasetSplit.Test)).ToList();
        Assert.Equal(fromFiles, fromMemory);
    }

    [Fact]
    public void Edited_test_labels_load_but_the_test_split_is_a_mismatch_naming_the_labels_file()
    {
        using var folder = new EditedMnistFolder().WithTestLabelsChanged(2000);
        var loaded = folder.Load();

        Assert.Equal(ChecksumState.Mismatch, loaded.Checksums(DatasetSplit.Test));
        Assert.Equal(ChecksumState.Verified, loaded.Checksums(DatasetSplit.Train));
        var checks = loaded.VerifySplit(DatasetSplit.Test);
        Assert.Equal([true, false], checks.Select(c => c.Matches));
        Assert.Equal(folder.PathOf(DatasetCatalog.Mnist.TestLabels), checks[1].Path);
        Assert.Equal(DatasetCatalog.Mnist.TestLabels, checks[1].File);
    }

    [Fact]
    public void Test_images_of_another_size_are_refused_naming_the_file_and_both_sizes()
    {
        using var folder = new EditedMnistFolder().WithTestImagesCropped(20);
        var loaded = folder.Load();
        Assert.Equal((28, 28), (loaded.Train.Rows, loaded.Train.Cols));
        Assert.Equal((20, 20), (loaded.Test.Rows, loaded.Test.Cols));

        loaded.RequireCatalogImageSize(DatasetSplit.Train);
        var e = Assert.Throws<DigitsException>(() => loaded.RequireCatalogImageSize(DatasetSplit.Test));
        Assert.Equal(folder.PathOf(DatasetCatalog.Mnist.TestImages), e.Subject);
        Assert.Equal("images are 20x20, but MNIST images are 28x28", e.Problem);
        Assert.Equal(ChecksumState.Mismatch, loaded.Checksums(DatasetSplit.Test));
    }

    [Fact]
    public void Idx_hash_from_memory_equals_the_hash_of_the_written_file()
    {
        var array = new IdxArray([3, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        var ms = new MemoryStream();
        IdxWriter.Write(ms, array);
        Assert.Equal(SampleIdxFile.Sha256(ms.ToArray()), ContentHash.Sha256OfIdx(array));
    }
}
