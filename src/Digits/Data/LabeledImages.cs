namespace Digits.Data;

/// <summary>
/// A set of same-sized grayscale images (bytes, 0 = background, 255 = full ink, row-major) with one label each.
/// MNIST's training set is 47 MB this way; batches convert to float into reused buffers when needed.
/// </summary>
public sealed class LabeledImages
{
    public LabeledImages(byte[] pixels, byte[] labels, int rows, int cols, int classCount = 10)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if ((long)labels.Length * rows * cols != pixels.LongLength)
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * rows * cols} pixels of {rows}x{cols}, found {pixels.LongLength}", nameof(pixels));
        foreach (byte l in labels)
        {
            if (l >= classCount)
                throw new ArgumentException($"label {l} is outside 0..{classCount - 1}", nameof(labels));
        }
        Pixels = pixels;
        Labels = labels;
        Rows = rows;
        Cols = cols;
        ClassCount = classCount;
    }

    /// <summary>Builds from an images IDX array (count × rows × cols) and a labels IDX array (count); names are for errors.</summary>
    public static LabeledImages FromIdx(IdxArray images, string imagesName, IdxArray labels, string labelsName, int classCount = 10)
    {
        if (images.Rank != 3)
            throw new DigitsException(imagesName, $"expected rank-3 images, found rank {images.Rank}");
        if (labels.Rank != 1)
            throw new DigitsException(labelsName, $"expected rank-1 labels, found rank {labels.Rank}");
        if (images.Shape[0] != labels.Shape[0])
            throw new DigitsException(labelsName, $"has {labels.Shape[0]} labels but {imagesName} has {images.Shape[0]} images");
        for (int i = 0; i < labels.Data.Length; i++)
        {
            if (labels.Data[i] >= classCount)
                throw new DigitsException(labelsName, $"label {labels.Data[i]} at index {i} is outside 0..{classCount - 1}");
        }
        return new LabeledImages(images.Data, labels.Data, images.Shape[1], images.Shape[2], classCount);
    }

    public byte[] Pixels { get; }

    public byte[] Labels { get; }

    public int Rows { get; }

    public int Cols { get; }

    public int ClassCount { get; }

    public int Count => Labels.Length;

    public int PixelsPerImage => Rows * Cols;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>
    /// SHA-256 (lowercase hex) of exactly what a model was trained on: the pixels, then the labels. Stored in model
    /// files as <c>train_data_sha256</c>, so a model can be traced to its data even when trained on a subset.
    /// </summary>
    public string ContentSha256()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(Pixels);
        hash.AppendData(Labels);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>How many images each class has.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (byte l in Labels)
            counts[l]++;
        return counts;
    }

    /// <summary>A new set holding copies of the given images, in the given order.</summary>
    public LabeledImages Subset(ReadOnlySpan<int> indices)
    {
        int p = PixelsPerImage;
        var pixels = new byte[indices.Length * p];
        var labels = new byte[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * p, p));
            labels[i] = Labels[indices[i]];
        }
        return new LabeledImages(pixels, labels, Rows, Cols, ClassCount);
    }

    /// <summary>The first <paramref name="count"/> images (or all, if fewer).</summary>
    public LabeledImages Take(int count)
    {
        int n = Math.Min(count, Count);
        return new LabeledImages(Pixels.AsSpan(0, n * PixelsPerImage).ToArray(), Labels.AsSpan(0, n).ToArray(), Rows, Cols, ClassCount);
    }
}
