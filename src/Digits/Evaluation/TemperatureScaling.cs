using Digits.Persistence;

namespace Digits.Evaluation;

/// <summary>
/// Temperature scaling (Guo, Pleiss, Sun and Weinberger, "On Calibration of Modern Neural Networks", ICML 2017,
/// section 4.2): one scalar T > 0 divides a model's logits before the softmax, q = softmax(z / T). It keeps every
/// prediction's top class, so accuracy is unchanged, and T is the minimizer of the negative log-likelihood on a
/// held-out set. T > 1 softens an over-confident model.
/// </summary>
/// <remarks>
/// <para>
/// <b>Applied to probabilities, not logits.</b> Every kind of model here ends in probabilities p, and only some have
/// logits: an ensemble averages its members' softmax outputs, and the kernel SVM couples pairwise Platt
/// probabilities. So T is applied as q ∝ p^(1/T), renormalized; that is softmax(ln p / T). When p = softmax(z) this is
/// exactly softmax(z / T), because ln p = z − logsumexp(z) differs from z by a constant per row, and softmax ignores
/// such constants: the CNN's and softmax regression's ONNX graphs divide their logits by T and give the same numbers.
/// For the ensemble and the SVMs it is the same one-parameter family, in log-probability space.
/// </para>
/// <para>
/// <b>The fit.</b> With β = 1/T, the mean NLL f(β) = mean_i [logsumexp(β s_i) − β s_i,y] is convex in β (a
/// log-sum-exp of functions linear in β, minus a linear term), so it is unimodal in u = ln T too, and a golden-section
/// search over u in [ln <see cref="Calibration.MinTemperature"/>, ln <see cref="Calibration.MaxTemperature"/>] finds its
/// minimum without derivatives. Searching ln T makes the tolerance relative: <see cref="Tolerance"/> is 1e-4 in ln T,
/// a hundredth of a percent of T, far below what the validation set can resolve. T = 1 is kept unless the fit
/// lowers the NLL, so calibration never makes the validation NLL worse.
/// </para>
/// </remarks>
public static class TemperatureScaling
{
    /// <summary>The golden-section search stops when the bracket on ln T is narrower than this.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// ln of the smallest positive float: what a probability that underflowed to 0 counts as when fitting, so one
    /// confident mistake costs a large but finite NLL. Applying T leaves such a probability at 0, as ONNX does.
    /// </summary>
    private static readonly double LogFloor = Math.Log(float.Epsilon);

    private static readonly double InverseGolden = (Math.Sqrt(5) - 1) / 2;

    /// <summary>
    /// The temperature minimizing the mean NLL of softmax(scores / T) against <paramref name="labels"/>, within
    /// [<see cref="Calibration.MinTemperature"/>, <see cref="Calibration.MaxTemperature"/>].
    /// </summary>
    /// <param name="scores">count × classes logits, or log-probabilities (the same thing up to a constant per row).</param>
    public static double Fit(ReadOnlySpan<double> scores, ReadOnlySpan<byte> labels, int classes)
    {
        CheckShapes(scores.Length, labels, classes);
        double low = Math.Log(Calibration.MinTemperature), high = Math.Log(Calibration.MaxTemperature);
        double a = high - InverseGolden * (high - low), b = low + InverseGolden * (high - low);
        double fa = NegativeLogLikelihood(scores, labels, classes, Math.Exp(a));
        double fb = NegativeLogLikelihood(scores, labels, classes, Math.Exp(b));
        while (high - low > Tolerance)
        {
            if (fa <= fb)
            {
                (high, b, fb) = (b, a, fa);
                a = high - InverseGolden * (high - low);
                fa = NegativeLogLikelihood(scores, labels, classes, Math.Exp(a));
            }
            else
            {
                (low, a, fa) = (a, b, fb);
                b = low + InverseGolden * (high - low);
                fb = NegativeLogLikelihood(scores, labels, classes, Math.Exp(b));
            }
        }
        double temperature = Math.Exp((low + high) / 2);
        return NegativeLogLikelihood(scores, labels, classes, temperature) < NegativeLogLikelihood(scores, labels, classes, 1)
            ? temperature
            : 1;
    }

    /// <summary><see cref="Fit"/> on a model's probabilities (count × classes, rows summing to 1).</summary>
    public static double FitProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<byte> labels, int classes) =>
        Fit(LogProbabilities(probabilities), labels, classes);

    /// <summary>ln p per value, with 0 taken as the smallest float (see <see cref="LogFloor"/>).</summary>
    public static double[] LogProbabilities(ReadOnlySpan<float> probabilities)
    {
        var logs = new double[probabilities.Length];
        for (int i = 0; i < logs.Length; i++)
            logs[i] = probabilities[i] > 0 ? Math.Log(probabilities[i]) : LogFloor;
        return logs;
    }

    /// <summary>Mean −ln softmax(s_i / T)[y_i] over the samples, in nats; 0 for none.</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<double> scores, ReadOnlySpan<byte> labels, int classes, double temperature)
    {
        CheckShapes(scores.Length, labels, classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        double inverse = 1 / temperature, total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = scores.Slice(i * classes, classes);
            double max = double.NegativeInfinity;
            foreach (double s in row)
                max = Math.Max(max, s);
            double sum = 0;
            foreach (double s in row)
                sum += Math.Exp((s - max) * inverse);
            total += Math.Log(sum) - (row[Metrics.CheckLabel(labels[i], i, classes)] - max) * inverse;
        }
        return labels.Length == 0 ? 0 : total / labels.Length;
    }

    /// <summary>
    /// q ∝ p^(1/T) per row, renormalized: softmax(ln p / T). output is (count, classes) and may alias probabilities.
    /// At T = 1 the rows are copied unchanged. Computed in double from the row's largest probability down, so no
    /// power overflows; a probability of 0 stays 0.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> probabilities, Span<float> output, int count, int classes, double temperature)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(temperature > 0 && double.IsFinite(temperature)))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be positive and finite");
        int length = count * classes;
        if (probabilities.Length < length || output.Length < length)
            throw new ArgumentException($"{count} images × {classes} classes need {length} values in and out");
        if (temperature == 1)
        {
            probabilities[..length].CopyTo(output);
            return;
        }
        double inverse = 1 / temperature;
        Span<double> powers = stackalloc double[classes <= 256 ? classes : 0];
        if (classes > 256)
            powers = new double[classes];
        for (int r = 0; r < count; r++)
        {
            var row = probabilities.Slice(r * classes, classes);
            float top = 0;
            foreach (float p in row)
                top = Math.Max(top, p);
            var outRow = output.Slice(r * classes, classes);
            if (!(top > 0))
            {
                row.CopyTo(outRow);
                continue;
            }
            double logTop = Math.Log(top), sum = 0;
            for (int c = 0; c < classes; c++)
            {
                powers[c] = row[c] > 0 ? Math.Exp((Math.Log(row[c]) - logTop) * inverse) : 0;
                sum += powers[c];
            }
            for (int c = 0; c < classes; c++)
                outRow[c] = (float)(powers[c] / sum);
        }
    }

    private static void CheckShapes(int scores, ReadOnlySpan<byte> labels, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (scores != labels.Length * classes)
            throw new ArgumentException($"has {scores} values, expected {labels.Length} samples × {classes} classes");
    }
}
