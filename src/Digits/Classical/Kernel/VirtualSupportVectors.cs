using Digits.Data;

namespace Digits.Classical;

/// <summary>
/// The training set of a virtual-support-vector SVM (Schölkopf, Burges &amp; Vapnik, "Incorporating invariances in
/// support vector learning machines", 1996; DeCoste &amp; Schölkopf, "Training invariant support vector machines",
/// 2002): the support vectors of a first fit, each followed by four copies translated by one pixel (up, down, left,
/// right; the pixels moved in are background). Only support vectors matter to the decision function, so the second
/// fit sees the examples near the boundary plus the invariance the first fit could not learn.
/// </summary>
public static class VirtualSupportVectors
{
    /// <summary>The one-pixel moves, as (dx, dy): right, left, down, up.</summary>
    private static readonly (int Dx, int Dy)[] Moves = [(1, 0), (-1, 0), (0, 1), (0, -1)];

    /// <summary>Copies per support vector: the vector itself plus its four moves.</summary>
    public const int CopiesPerVector = 5;

    /// <summary>
    /// Builds the set from <paramref name="images"/> (count × rows·cols bytes, already preprocessed) and their
    /// labels, keeping the images at <paramref name="support"/> in that order.
    /// </summary>
    public static LabeledImages Create(ReadOnlySpan<byte> images, ReadOnlySpan<byte> labels, IReadOnlyList<int> support,
        int rows, int cols, int classCount)
    {
        int size = rows * cols;
        var pixels = new byte[support.Count * CopiesPerVector * size];
        var outLabels = new byte[support.Count * CopiesPerVector];
        for (int s = 0; s < support.Count; s++)
        {
            ReadOnlySpan<byte> source = images.Slice(support[s] * size, size);
            int first = s * CopiesPerVector;
            source.CopyTo(pixels.AsSpan(first * size, size));
            for (int m = 0; m < Moves.Length; m++)
                Translate(source, pixels.AsSpan((first + 1 + m) * size, size), rows, cols, Moves[m].Dx, Moves[m].Dy);
            outLabels.AsSpan(first, CopiesPerVector).Fill(labels[support[s]]);
        }
        return new LabeledImages(pixels, outLabels, rows, cols, classCount);
    }

    /// <summary>destination(x, y) = source(x − dx, y − dy), background (0) where that falls outside.</summary>
    public static void Translate(ReadOnlySpan<byte> source, Span<byte> destination, int rows, int cols, int dx, int dy)
    {
        destination.Clear();
        int width = cols - Math.Abs(dx);
        if (width <= 0)
            return;
        for (int y = Math.Max(0, dy); y < Math.Min(rows, rows + dy); y++)
        {
            source.Slice((y - dy) * cols + Math.Max(0, -dx), width).CopyTo(destination.Slice(y * cols + Math.Max(0, dx), width));
        }
    }
}
