using System.Buffers;
using Digits.Tensors;

namespace Digits.Classical;

/// <summary>
/// Prediction for the linear models: scores S = X·Wᵀ + b for images X (pixels / 255, deskewed if the model was
/// trained so), and a row-wise softmax over them. Images go through in fixed blocks, so memory stays bounded and a
/// block's result does not depend on how many images come with it.
/// </summary>
internal static class LinearScores
{
    /// <summary>Images per block: 1024 × 784 floats is 3 MB, well inside L3 on the machines we target.</summary>
    private const int Block = 1024;

    /// <summary>
    /// scores is (count, classes): W is (classes, 784) row-major and b (classes); images are count × 784 bytes.
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> images, int count, bool deskew, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, int classes, Span<float> scores)
    {
        const int d = PixelFeatures.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (images.Length != count * d)
            throw new ArgumentException($"holds {images.Length} bytes, {count} images of 28×28 need {count * d}", nameof(images));
        if (scores.Length < count * classes)
            throw new ArgumentException($"holds {scores.Length} values, {count} images × {classes} classes need {count * classes}", nameof(scores));

        float[] features = ArrayPool<float>.Shared.Rent(Math.Min(count, Block) * d);
        byte[]? deskewed = deskew ? ArrayPool<byte>.Shared.Rent(Math.Min(count, Block) * d) : null;
        try
        {
            for (int start = 0; start < count; start += Block)
            {
                int n = Math.Min(Block, count - start);
                Imaging.ModelInput.Prepare(images.Slice(start * d, n * d), n, deskew, deskewed, features);
                Span<float> s = scores.Slice(start * classes, n * classes);
                for (int i = 0; i < n; i++)
                    bias.CopyTo(s.Slice(i * classes, classes));
                Gemm.Multiply(false, true, n, classes, d, 1f, features, d, weights, d, 1f, s, classes);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(features);
            if (deskewed is not null)
                ArrayPool<byte>.Shared.Return(deskewed);
        }
    }

    /// <summary><see cref="Compute"/>, then softmax over each row: probabilities (count, classes), rows summing to 1.</summary>
    public static void Probabilities(ReadOnlySpan<byte> images, int count, bool deskew, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, int classes, Span<float> probabilities)
    {
        Compute(images, count, deskew, weights, bias, classes, probabilities);
        Softmax.Rows(probabilities[..(count * classes)], probabilities, count, classes);
    }
}
