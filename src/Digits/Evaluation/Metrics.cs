namespace Digits.Evaluation;

/// <summary>
/// Scores computed from true labels and predicted probabilities. Labels are class positions (0-based bytes, as MNIST
/// stores them); probabilities are <c>count × classCount</c> floats, one row per sample, each row summing to 1.
/// Accuracies are fractions in 0–1.
/// </summary>
public static class Metrics
{
    /// <summary>
    /// The smallest probability <see cref="LogLoss"/> takes the log of, so a confident mistake costs
    /// −ln(1e-15) ≈ 34.5 instead of infinity. scikit-learn's <c>log_loss</c> used the same bound.
    /// </summary>
    public const double ProbabilityFloor = 1e-15;

    /// <summary>The standard normal quantile for a two-sided 95% interval, Φ⁻¹(0.975).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval for a binomial proportion (E. B. Wilson, "Probable inference, the law of succession,
    /// and statistical inference", JASA 22, 1927). Unlike the normal ("Wald") interval it stays inside 0–1 and keeps
    /// its coverage near 0 and 1, which matters for accuracies of 99%.
    /// </summary>
    /// <param name="successes">Correct predictions.</param>
    /// <param name="trials">All predictions; with none the interval is the whole of [0, 1].</param>
    /// <param name="z">Normal quantile; <see cref="Z95"/> gives a 95% interval.</param>
    /// <returns>Lower and upper bounds, fractions in 0–1.</returns>
    public static (double Low, double High) WilsonInterval(long successes, long trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"must be between 0 and trials ({trials})");
        if (!(z > 0))
            throw new ArgumentOutOfRangeException(nameof(z), z, "must be positive");
        if (trials == 0)
            return (0, 1);

        double n = trials, p = successes / n, z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2 * n)) / denominator;
        double halfWidth = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, center - halfWidth), Math.Min(1, center + halfWidth));
    }

    /// <summary>The fraction of samples whose most probable class (the first, on ties) is their label; 0 for no samples.</summary>
    public static double Accuracy(ReadOnlySpan<byte> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        CheckShapes(labels, probabilities, classCount);
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(probabilities.Slice(i * classCount, classCount)) == labels[i])
                correct++;
        }
        return labels.Length == 0 ? 0 : (double)correct / labels.Length;
    }

    /// <summary>
    /// Mean negative natural log of the probability given to the true class (cross-entropy, in nats per sample),
    /// with each probability clipped to [<see cref="ProbabilityFloor"/>, 1 − <see cref="ProbabilityFloor"/>].
    /// 0 for no samples.
    /// </summary>
    public static double LogLoss(ReadOnlySpan<byte> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        CheckShapes(labels, probabilities, classCount);
        double sum = 0;
        for (int i = 0; i < labels.Length; i++)
            sum += NegativeLog(probabilities[i * classCount + CheckLabel(labels[i], i, classCount)]);
        return labels.Length == 0 ? 0 : sum / labels.Length;
    }

    /// <summary>
    /// Accuracy, its 95% interval, top-2 accuracy, log loss, the confusion matrix and each sample's prediction for probabilities
    /// already computed. <paramref name="seconds"/> is carried into the result as the prediction time.
    /// </summary>
    /// <param name="classLabels">The model's labels, in output order; fixes the class count.</param>
    public static EvaluationResult Evaluate(
        ReadOnlySpan<byte> labels, ReadOnlySpan<float> probabilities, IReadOnlyList<string> classLabels, double seconds = 0)
    {
        ArgumentNullException.ThrowIfNull(classLabels);
        CheckShapes(labels, probabilities, classLabels.Count);
        var accumulator = new EvaluationAccumulator(classLabels, labels.Length);
        accumulator.Add(labels, probabilities);
        return accumulator.ToResult(seconds);
    }

    /// <summary>−ln p with p clipped as <see cref="LogLoss"/> describes.</summary>
    internal static double NegativeLog(float probability) =>
        -Math.Log(Math.Clamp(probability, ProbabilityFloor, 1 - ProbabilityFloor));

    /// <summary>
    /// Positions of the largest and the second largest value in one pass; ties go to the lower position, so
    /// <c>First</c> is the argmax (TensorPrimitives.IndexOfMax's answer). <c>Second</c> is -1 for a row of one value.
    /// </summary>
    internal static (int First, int Second) TopTwo(ReadOnlySpan<float> row)
    {
        int first = 0, second = -1;
        for (int c = 1; c < row.Length; c++)
        {
            if (row[c] > row[first])
            {
                second = first;
                first = c;
            }
            else if (second < 0 || row[c] > row[second])
            {
                second = c;
            }
        }
        return (first, second);
    }

    /// <summary>Returns the label, or throws a <see cref="DigitsException"/> naming the sample if it has no class.</summary>
    internal static int CheckLabel(byte label, int sample, int classCount) =>
        label < classCount
            ? label
            : throw new DigitsException("labels", $"sample {sample} has label {label}, but the model has only {classCount} classes");

    private static void CheckShapes(ReadOnlySpan<byte> labels, ReadOnlySpan<float> probabilities, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (probabilities.Length != labels.Length * classCount)
        {
            throw new ArgumentException(
                $"has {probabilities.Length} values, expected {labels.Length} samples × {classCount} classes = {labels.Length * classCount}",
                nameof(probabilities));
        }
    }
}
