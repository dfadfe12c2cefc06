using System.Numerics.Tensors;
namespace Digits.Evaluation;

/// <summary>
/// How far a model's confidence (its top probability) is from how often it is right, after Guo, Pleiss, Sun and
/// Weinberger, "On Calibration of Modern Neural Networks" (ICML 2017), section 2. Samples are grouped into
/// <see cref="BinCount"/> equal-width bins of confidence; the expected calibration error is the sample-weighted mean
/// of |accuracy − mean confidence| over the bins:
/// <code>ECE = Σ_m (|B_m| / n) · |acc(B_m) − conf(B_m)|</code>
/// A model whose confidence of 0.9 is right 90% of the time has an ECE near 0.
/// </summary>
public static class CalibrationError
{
    /// <summary>
    /// 15 bins, as Guo et al. use, so our figures compare with theirs and with most papers since. Fewer bins hide
    /// miscalibration inside a wide bin; more leave bins with a handful of samples, whose noise inflates the ECE. With
    /// 10 classes no confidence is below 0.1, so the first bin is always empty; on MNIST most samples fall in the last,
    /// (0.933, 1], and that bin dominates the figure.
    /// </summary>
    public const int BinCount = 15;

    /// <summary>
    /// The reliability-diagram bins: bin m (0-based) holds the confidences in (m / bins, (m + 1) / bins]; a confidence
    /// of exactly 0 goes to the first bin.
    /// </summary>
    /// <param name="confidence">Each sample's top probability, 0–1.</param>
    /// <param name="correct">Whether each sample's top class was its label.</param>
    public static IReadOnlyList<ReliabilityBin> Bins(ReadOnlySpan<float> confidence, ReadOnlySpan<bool> correct, int bins = BinCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        if (confidence.Length != correct.Length)
            throw new ArgumentException($"has {correct.Length} values for {confidence.Length} confidences", nameof(correct));
        var counts = new int[bins];
        var right = new int[bins];
        var confidenceSums = new double[bins];
        for (int i = 0; i < confidence.Length; i++)
        {
            float c = confidence[i];
            if (!(c >= 0 && c <= 1))
                throw new ArgumentOutOfRangeException(nameof(confidence), c, $"sample {i}: a confidence must be in [0, 1]");
            int bin = Math.Clamp((int)Math.Ceiling(c * bins) - 1, 0, bins - 1);
            counts[bin]++;
            confidenceSums[bin] += c;
            if (correct[i])
                right[bin]++;
        }
        var result = new ReliabilityBin[bins];
        for (int m = 0; m < bins; m++)
        {
            int n = counts[m];
            result[m] = new ReliabilityBin((double)m / bins, (double)(m + 1) / bins, n,
                n == 0 ? 0 : confidenceSums[m] / n, n == 0 ? 0 : (double)right[m] / n);
        }
        return result;
    }

    /// <summary>The expected calibration error of <paramref name="bins"/>, 0–1; 0 when they hold no samples.</summary>
    public static double Expected(IReadOnlyList<ReliabilityBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        long total = bins.Sum(b => (long)b.Count);
        return total == 0 ? 0 : bins.Sum(b => b.Count * Math.Abs(b.Gap)) / total;
    }

    /// <summary>The expected calibration error of probabilities (count × classes, rows summing to 1) against labels.</summary>
    public static double Expected(ReadOnlySpan<byte> labels, ReadOnlySpan<float> probabilities, int classes, int bins = BinCount)
    {
        var (confidence, correct) = TopClass(labels, probabilities, classes);
        return Expected(Bins(confidence, correct, bins));
    }

    /// <summary>Each sample's top probability and whether its top class (the first, on ties) is its label.</summary>
    internal static (float[] Confidence, bool[] Correct) TopClass(ReadOnlySpan<byte> labels, ReadOnlySpan<float> probabilities, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (probabilities.Length != labels.Length * classes)
            throw new ArgumentException($"has {probabilities.Length} values, expected {labels.Length} samples × {classes} classes", nameof(probabilities));
        var confidence = new float[labels.Length];
        var correct = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            int top = TensorPrimitives.IndexOfMax(row);
            confidence[i] = row[top];
            correct[i] = top == Metrics.CheckLabel(labels[i], i, classes);
        }
        return (confidence, correct);
    }
}
