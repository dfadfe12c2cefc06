using Digits.Tensors;

namespace Digits.Neural;

/// <summary>
/// Softmax cross-entropy over logits, the mean over the batch, like PyTorch's <c>nn.CrossEntropyLoss</c>, with
/// optional label smoothing (Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", CVPR
/// 2016): the target puts 1 − ε + ε/K on the true class and ε/K on each of the K classes' others.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Returns the mean loss in nats. logits and dlogits are (count, classes), labels is (count) with values in
    /// [0, classes). Overwrites dlogits with ∂loss/∂logits = (softmax − target) / count unless it is empty.
    /// </summary>
    public static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int count, int classes,
        float labelSmoothing, Span<float> dlogits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (labelSmoothing is < 0f or > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "must be in [0, 1]");
        }
        if (logits.Length < count * classes || labels.Length < count || (!dlogits.IsEmpty && dlogits.Length < count * classes))
        {
            throw new ArgumentException($"{count} samples of {classes} classes got logits {logits.Length}, labels {labels.Length}, dlogits {dlogits.Length}");
        }
        if (count == 0)
        {
            return 0f;
        }
        float offTarget = labelSmoothing / classes;
        float onTarget = 1f - labelSmoothing + offTarget;
        float scale = 1f / count;
        double total = 0;
        for (int n = 0; n < count; n++)
        {
            int label = labels[n];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"label of sample {n} must be in [0, {classes})");
            }
            ReadOnlySpan<float> z = logits.Slice(n * classes, classes);
            double max = z[0];
            for (int j = 1; j < classes; j++)
            {
                max = Math.Max(max, z[j]);
            }
            double sumExp = 0, sumZ = 0;
            for (int j = 0; j < classes; j++)
            {
                sumExp += Math.Exp(z[j] - max);
                sumZ += z[j];
            }
            double logSumExp = max + Math.Log(sumExp);
            // −Σ t_j log p_j with log p_j = z_j − logSumExp and Σ t_j = 1
            total += logSumExp - (offTarget * sumZ + (onTarget - offTarget) * z[label]);
            if (!dlogits.IsEmpty)
            {
                Span<float> dz = dlogits.Slice(n * classes, classes);
                Softmax.Rows(z, dz, 1, classes);
                for (int j = 0; j < classes; j++)
                {
                    dz[j] = (dz[j] - (j == label ? onTarget : offTarget)) * scale;
                }
            }
        }
        return (float)(total / count);
    }
}
