namespace Digits.Data;

/// <summary>One file of a dataset, as published: its decompressed size and SHA-256 (lowercase hex of the decompressed bytes).</summary>
/// <param name="FileName">The raw IDX name, e.g. <c>train-images-idx3-ubyte</c>. On disk it may also carry <c>.gz</c>.</param>
public sealed record DatasetFile(string FileName, long DecompressedLength, string Sha256);

/// <summary>A labelled image dataset in IDX files, with where to download it.</summary>
/// <param name="Mirrors">Base URIs ending in '/', tried in order; each serves <c>FileName.gz</c>.</param>
public sealed record DatasetDefinition(
    string Name,
    DatasetFile TrainImages,
    DatasetFile TrainLabels,
    DatasetFile TestImages,
    DatasetFile TestLabels,
    IReadOnlyList<Uri> Mirrors,
    IReadOnlyList<string> Labels)
{
    public IReadOnlyList<DatasetFile> Files => [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The name people write, for messages: <c>MNIST</c> rather than <c>mnist</c>.</summary>
    public string DisplayName { get; init; } = Name;

    /// <summary>Height of every image in pixels, as published; a file with another size is not this dataset.</summary>
    public int ImageRows { get; init; } = 28;

    /// <summary>Width of every image in pixels, as published.</summary>
    public int ImageCols { get; init; } = 28;

    /// <summary>The images and labels files of one split.</summary>
    public (DatasetFile Images, DatasetFile Labels) FilesOf(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => (TrainImages, TrainLabels),
        DatasetSplit.Test => (TestImages, TestLabels),
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "must be Train or Test"),
    };
}

/// <summary>One half of a dataset.</summary>
public enum DatasetSplit
{
    Train,
    Test,
}

/// <summary>The datasets Digits knows by name. New sets are one more entry here.</summary>
public static class DatasetCatalog
{
    private static readonly string[] DigitLabels = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>
    /// MNIST (LeCun, Cortes and Burges). Sizes and SHA-256 are of the decompressed canonical files. The mirrors are the
    /// ones the PyTorch and TensorFlow projects use, since the original site often refuses scripted downloads.
    /// </summary>
    public static DatasetDefinition Mnist { get; } = new(
        "mnist",
        new("train-images-idx3-ubyte", 47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
        new("train-labels-idx1-ubyte", 60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
        new("t10k-images-idx3-ubyte", 7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
        new("t10k-labels-idx1-ubyte", 10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
        [
            new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        ],
        DigitLabels)
    {
        DisplayName = "MNIST",
    };

    /// <summary>
    /// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): the same format and sizes as MNIST, with ten kinds of clothing.
    /// On Debian, <c>apt-get install dataset-fashion-mnist</c> puts it in <c>/usr/share/datasets/fashion-mnist</c>
    /// (use <c>--data</c> with that folder); the checksums below were taken from that package's files.
    /// </summary>
    public static DatasetDefinition FashionMnist { get; } = new(
        "fashion-mnist",
        new("train-images-idx3-ubyte", 47_040_016, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        new("train-labels-idx1-ubyte", 60_008, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        new("t10k-images-idx3-ubyte", 7_840_016, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        new("t10k-labels-idx1-ubyte", 10_008, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
        [
            new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            new Uri("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
        ],
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"])
    {
        DisplayName = "Fashion-MNIST",
    };

    public static IReadOnlyList<DatasetDefinition> All { get; } = [Mnist, FashionMnist];

    /// <summary>The dataset of that name (any case).</summary>
    /// <exception cref="DigitsException">No dataset has that name; the message lists the known ones.</exception>
    public static DatasetDefinition Get(string name)
        => Find(name) ?? throw new DigitsException("--dataset", UnknownNameProblem(name));

    /// <summary>The dataset of that name (any case), or null, for callers that report an unknown name their own way.</summary>
    public static DatasetDefinition? Find(string name)
        => All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>What to say about an unknown name: <c>unknown dataset 'cifar', known: mnist, fashion-mnist</c>.</summary>
    public static string UnknownNameProblem(string name) => $"unknown dataset '{name}', known: {string.Join(", ", All.Select(d => d.Name))}";
}
