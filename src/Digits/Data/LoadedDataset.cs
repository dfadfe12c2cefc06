namespace Digits.Data;

/// <summary>Whether a dataset's files match the catalog's SHA-256; <c>unchecked</c> when nobody looked.</summary>
public enum ChecksumState
{
    Unchecked,
    Verified,
    Mismatch,
}

/// <summary>
/// The two halves of a dataset, loaded into memory as bytes, with the checks a command runs before it reports a figure
/// "on MNIST test": are these the published files (<see cref="VerifySplit"/>), and are the images the published size
/// (<see cref="RequireCatalogImageSize"/>)? Loading accepts edited or foreign files on purpose, so that
/// <c>digits data info</c> can describe them; it is these checks that keep a result on them from passing for MNIST's.
/// </summary>
public sealed record LoadedDataset(ResolvedDataset Location, LabeledImages Train, LabeledImages Test)
{
    public DatasetDefinition Dataset => Location.Dataset;

    /// <summary>The images of one split.</summary>
    public LabeledImages Split(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => Train,
        DatasetSplit.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "must be Train or Test"),
    };

    /// <summary>
    /// Checks the split's images and labels against the catalog's SHA-256 of the decompressed files. It hashes the bytes
    /// in memory (see <see cref="ContentHash.Sha256OfIdx"/>), so it neither rereads nor gunzips the files, and what it
    /// vouches for is exactly what a model will be measured on. Cost: one SHA-256 pass, about 8 MB for MNIST's test
    /// split and 47 MB for its training split. Nothing is cached, because the arrays are mutable.
    /// </summary>
    /// <returns>The images file's check, then the labels file's; <see cref="FileCheck.Path"/> is the file's path on disk.</returns>
    public IReadOnlyList<FileCheck> VerifySplit(DatasetSplit split)
    {
        var (imagesFile, labelsFile) = Dataset.FilesOf(split);
        var images = Split(split);
        string imagesSha256 = ContentHash.Sha256OfIdx(new IdxArray([images.Count, images.Rows, images.Cols], images.Pixels));
        string labelsSha256 = ContentHash.Sha256OfIdx(new IdxArray([images.Count], images.Labels));
        return [Check(imagesFile, imagesSha256), Check(labelsFile, labelsSha256)];
    }

    /// <summary><see cref="ChecksumState.Verified"/> when both of the split's files match the catalog, else <see cref="ChecksumState.Mismatch"/>.</summary>
    public ChecksumState Checksums(DatasetSplit split) => VerifySplit(split).All(c => c.Matches) ? ChecksumState.Verified : ChecksumState.Mismatch;

    /// <summary>
    /// Throws unless the split's images have the catalog's size (28×28 for MNIST). Call it before any work that assumes
    /// that size: a model trained on 28×28 inputs would otherwise read 20×20 images as garbled 28×28 ones, or fail deep
    /// inside with an index error. Train calls it for both splits, evaluate for the test split.
    /// </summary>
    /// <exception cref="DigitsException">Subject: the images file's path; problem, e.g. <c>images are 20x20, but MNIST images are 28x28</c>.</exception>
    public void RequireCatalogImageSize(DatasetSplit split)
    {
        var images = Split(split);
        if (images.Rows != Dataset.ImageRows || images.Cols != Dataset.ImageCols)
        {
            string path = Location.Paths[Dataset.FilesOf(split).Images];
            throw new DigitsException(path, $"images are {images.Rows}x{images.Cols}, but {Dataset.DisplayName} images are {Dataset.ImageRows}x{Dataset.ImageCols}");
        }
    }

    private FileCheck Check(DatasetFile file, string actual)
        => new(file, Location.Paths[file], actual, string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase));
}
