using Digits.Data;
using Digits.Imaging;

namespace Digits.Classical;

/// <summary>
/// The features of the linear models: an image's 784 pixels divided by 255 (0 = background, 1 = full ink), after
/// deskewing when the model asks for it (<see cref="Deskew"/>), row-major, one image per row.
/// </summary>
internal static class PixelFeatures
{
    public const int Count = DigitImage.Pixels;

    /// <summary>Images per deskewing work item: large enough to amortize scheduling, small enough to balance two cores.</summary>
    private const int DeskewChunk = 2048;

    /// <summary>The images' bytes as the model sees them: <paramref name="images"/> itself, or a deskewed copy.</summary>
    public static ReadOnlyMemory<byte> Pixels(ReadOnlyMemory<byte> images, int count, bool deskew)
    {
        if (!deskew)
            return images;
        byte[] deskewed = new byte[count * Count];
        int chunks = (count + DeskewChunk - 1) / DeskewChunk;
        Parallel.For(0, chunks, chunk =>
        {
            int start = chunk * DeskewChunk, n = Math.Min(DeskewChunk, count - start);
            Deskew.ApplyAll(images.Span.Slice(start * Count, n * Count), deskewed.AsSpan(start * Count, n * Count), n);
        });
        return deskewed;
    }

    /// <summary>
    /// All of <paramref name="data"/> as features, count × 784 floats in 0..1, in a pinned array so that parallel
    /// kernels may hold pointers into it.
    /// </summary>
    public static float[] UnitFloats(LabeledImages data, bool deskew)
    {
        if (data.PixelsPerImage != Count)
            throw new ArgumentException($"images are {data.Rows}×{data.Cols}, the linear models take 28×28", nameof(data));
        var pixels = Pixels(data.Pixels, data.Count, deskew).Span;
        float[] features = GC.AllocateUninitializedArray<float>(data.Count * Count, pinned: true);
        ModelInput.ToUnitFloats(pixels, features);
        return features;
    }
}
