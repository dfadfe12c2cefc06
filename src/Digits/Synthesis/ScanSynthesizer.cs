using System.Globalization;
using Digits.Data;
using Digits.Training;

namespace Digits.Synthesis;

/// <summary>Which MNIST digits a synthetic scan set is drawn from.</summary>
public enum ScanSplit
{
    /// <summary>The training images that <c>digits train cnn</c> holds out for validation (<see cref="ScanSynthesizer.ValidationIndices"/>).</summary>
    Validation,

    /// <summary>MNIST's test images.</summary>
    Test,
}

/// <summary>
/// <c>digits data synth-scans</c>: MNIST digits as a phone photo or a scan of handwriting arrives. Each picture is
/// one MNIST digit whose gray levels become ink coverage (<see cref="InkMask.FromMnist"/>), on paper, photographed
/// (<see cref="PhotoRenderer"/>), with every parameter drawn from <see cref="PhotoRanges"/>. labels.csv records
/// each picture's <c>source_index</c> in its MNIST split, so a scan can be compared with the same digit as MNIST holds it.
/// </summary>
public static class ScanSynthesizer
{
    /// <summary>The set's labels.csv columns after <c>file,label</c>.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["source_index", .. PhotoParameters.CsvColumns];

    /// <summary>Rough size of one picture on disk, for the free-space check (JPEGs are tens of KB, noisy PNGs hundreds).</summary>
    public const long BytesPerImage = 100_000;

    /// <summary>
    /// The indices into MNIST's training images that <c>digits train cnn</c>, run with its defaults, holds out for
    /// validation and never trains on: <see cref="StratifiedSplit.Create"/> of all 60,000 labels with the cnn entry's
    /// default fraction (<see cref="TrainerRegistry.Cnn"/>, 0.1) and the default seed
    /// (<see cref="TrainingPlan.DefaultSeed"/>, 1), exactly as <see cref="TrainingSession.Prepare"/> takes them. These
    /// are the only MNIST images such a model never saw (it picks its epoch and temperature on them, but is not fitted
    /// to them), so scans of them measure it without leaking its training data, and without touching the test set.
    /// </summary>
    public static int[] ValidationIndices(LabeledImages train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return StratifiedSplit.Create(train.Labels, TrainerRegistry.Cnn.DefaultValidation, TrainingPlan.DefaultSeed).Validation;
    }

    /// <summary>The images and the indices into them that <paramref name="split"/> draws from.</summary>
    public static (LabeledImages Images, int[] Pool) Pool(LoadedDataset data, ScanSplit split)
    {
        ArgumentNullException.ThrowIfNull(data);
        return split switch
        {
            ScanSplit.Validation => (data.Train, ValidationIndices(data.Train)),
            ScanSplit.Test => (data.Test, [.. Enumerable.Range(0, data.Test.Count)]),
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "must be Validation or Test"),
        };
    }

    /// <summary>
    /// Which pool image each of <paramref name="count"/> pictures shows: a seeded shuffle of the pool, taken in order,
    /// so no digit repeats until the pool is used up; past that, another shuffle, and so on (the repeats are drawn
    /// with other parameters).
    /// </summary>
    public static int[] ChooseSources(IReadOnlyList<int> pool, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (pool.Count == 0)
            throw new ArgumentException("the pool is empty", nameof(pool));
        var rng = Rng.Derive(seed, 0);
        var sources = new int[count];
        var order = pool.ToArray();
        for (int start = 0; start < count; start += order.Length)
        {
            rng.Shuffle(order.AsSpan());
            int n = Math.Min(order.Length, count - start);
            order.AsSpan(0, n).CopyTo(sources.AsSpan(start));
        }
        return sources;
    }

    /// <summary>The parameters of picture <paramref name="index"/> of the set made with <paramref name="seed"/>: its own stream.</summary>
    public static PhotoParameters Parameters(ulong seed, int index, PhotoRanges ranges) =>
        PhotoParameters.Draw(Rng.Derive(seed, (ulong)index + 1), ranges);

    /// <summary>Renders picture <paramref name="index"/>: the image <paramref name="source"/> of <paramref name="images"/>, photographed.</summary>
    public static SynthImage Render(LabeledImages images, int source, ulong seed, int index, PhotoRanges ranges)
    {
        ArgumentNullException.ThrowIfNull(images);
        var parameters = Parameters(seed, index, ranges);
        var mask = InkMask.FromMnist(images.Image(source), parameters);
        byte[] encoded = PhotoRenderer.Render(mask, parameters);
        return new SynthImage(encoded, parameters.Extension, images.Labels[source],
            [source.ToString(CultureInfo.InvariantCulture), .. parameters.CsvValues()]);
    }

    /// <summary>Makes the whole set in <paramref name="folder"/> (checked beforehand with <see cref="SynthSet.CheckFolder"/>).</summary>
    public static SynthSetResult Write(string folder, LoadedDataset data, ScanSplit split, ulong seed, int count,
        PhotoRanges? ranges = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ranges ??= PhotoRanges.Fixed;
        var (images, pool) = Pool(data, split);
        var sources = ChooseSources(pool, count, seed);
        return SynthSet.Write(folder, count, Columns, i => Render(images, sources[i], seed, i, ranges), progress, cancellationToken);
    }
}
