using System.Globalization;
using System.Text.Json;
using Digits.Data;

namespace Digits.Evaluation;

/// <summary>A threshold chosen by <see cref="ConfidenceThreshold.Choose"/>, with what it does on the pictures it was chosen on.</summary>
/// <param name="MinConfidence">The threshold, 0–1: the confidence of the least confident reading it keeps as ok, or 0
/// when every reading may be ok.</param>
/// <param name="TargetPrecision">The share of ok answers that had to be right.</param>
/// <param name="Precision">The share of ok answers that are right at <paramref name="MinConfidence"/>.</param>
/// <param name="Images">The folder's name (its last path segment), as recorded in the model file.</param>
/// <param name="Count">Pictures in the folder.</param>
/// <param name="Readings">Pictures where one digit was found, each a candidate ok answer.</param>
/// <param name="AccuracyOfReadings">The share of <paramref name="Readings"/> read right, with no threshold at all.</param>
/// <param name="Statuses">How many pictures answer ok, unsure, no-digit and error at the threshold.</param>
public sealed record ThresholdChoice(double MinConfidence, double TargetPrecision, double Precision, string Images, int Count,
    int Readings, double AccuracyOfReadings, IReadOnlyDictionary<string, int> Statuses)
{
    /// <summary>The share of pictures answered ok.</summary>
    public double OkShare => Count == 0 ? 0 : (double)Statuses["ok"] / Count;

    /// <summary>The share of pictures answered unsure (low confidence or more than one digit).</summary>
    public double UnsureShare => Count == 0 ? 0 : (double)Statuses["unsure"] / Count;

    /// <summary>The model file's <c>min_confidence_basis</c>: how the threshold was chosen, as a JSON object.</summary>
    public string BasisJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["images"] = Images,
        ["count"] = Count,
        ["readings"] = Readings,
        ["target_precision"] = TargetPrecision,
        ["precision"] = Precision,
        ["ok_share"] = OkShare,
        ["unsure_share"] = UnsureShare,
    });
}

/// <summary>
/// Chooses a model's <c>min_confidence</c> on labelled pictures it was not trained on (validation synth-scans): the
/// lowest threshold at which the ok answers are right at least a target share of the time. Precision is the aim
/// because an ok answer is one a caller will act on without looking, and unsure is the cheap way out; the lowest
/// such threshold then leaves as few pictures unsure as that aim allows.
/// </summary>
public static class ConfidenceThreshold
{
    /// <summary>
    /// The default share of ok answers that must be right: one wrong digit in 500 answers given as sure. On 2,000
    /// pictures that is about four mistakes, a target the pictures can still measure.
    /// </summary>
    public const double DefaultTargetPrecision = 0.998;

    /// <summary>
    /// The lowest threshold t such that, of the readings with confidence ≥ t (the ok rule of
    /// <see cref="Prediction.IsConfident"/>), at least <paramref name="targetPrecision"/> are right. Candidates are
    /// the readings' own confidences, since between two of them the ok set does not change; t is 0 when all the
    /// readings together reach the target. Null when no threshold does (even the most confident readings are wrong
    /// too often) or there are no readings.
    /// </summary>
    /// <param name="confidences">Each reading's top probability.</param>
    /// <param name="correct">Whether each reading's top digit is the true one.</param>
    /// <param name="targetPrecision">In (0, 1].</param>
    public static double? Lowest(ReadOnlySpan<double> confidences, ReadOnlySpan<bool> correct, double targetPrecision)
    {
        if (confidences.Length != correct.Length)
            throw new ArgumentException($"has {correct.Length} entries for {confidences.Length} confidences", nameof(correct));
        CheckTarget(targetPrecision);
        var order = new int[confidences.Length];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        var keys = confidences.ToArray();
        Array.Sort(keys, order);
        Array.Reverse(order);

        double? lowest = null;
        int kept = 0, right = 0;
        for (int i = 0; i < order.Length; i++)
        {
            kept++;
            right += correct[order[i]] ? 1 : 0;
            bool lastOfTies = i + 1 == order.Length || confidences[order[i + 1]] != confidences[order[i]];
            if (lastOfTies && Reaches(right, kept, targetPrecision))
                lowest = confidences[order[i]];
        }
        return kept > 0 && Reaches(right, kept, targetPrecision) ? 0 : lowest;
    }

    /// <summary>
    /// Reads every picture of <paramref name="folder"/> as <c>predict</c> does (<see cref="DigitModel.PredictBatch"/>)
    /// and chooses the threshold with <see cref="Lowest"/> over the pictures where one digit was found; pictures with
    /// several digits, none, or unreadable ones are never ok, whatever the threshold.
    /// </summary>
    /// <exception cref="DigitsException">No digit was found in any picture, or no threshold reaches the target.</exception>
    public static ThresholdChoice Choose(DigitModel model, ImageFolder folder, double targetPrecision = DefaultTargetPrecision,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(folder);
        CheckTarget(targetPrecision);
        // At a threshold of 0 every picture with one digit answers ok: those are the candidates.
        var answers = model.PredictBatch(folder.Files.Select(f => f.Path), minConfidence: 0, progress, cancellationToken);
        var readings = Enumerable.Range(0, answers.Count).Where(i => answers[i].Status == PredictionStatus.Ok).ToArray();
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder.Directory));
        if (readings.Length == 0)
            throw new DigitsException(folder.Directory, "no picture holds one digit the model could read, so there is nothing to choose a threshold on");
        double[] confidences = [.. readings.Select(i => answers[i].Confidence!.Value)];
        bool[] correct = [.. readings.Select(i => answers[i].Digit == folder.Files[i].Label)];
        double? lowest = Lowest(confidences, correct, targetPrecision);
        if (lowest is not { } threshold)
        {
            throw new DigitsException(folder.Directory, string.Create(CultureInfo.InvariantCulture,
                $"no threshold makes {targetPrecision:0.####} of the ok answers right: even the most confident readings are wrong too often ({correct.Count(c => !c)} of {correct.Length} readings are wrong)"));
        }

        int ok = 0, okRight = 0;
        for (int r = 0; r < readings.Length; r++)
        {
            if (Prediction.IsConfident(confidences[r], threshold))
            {
                ok++;
                okRight += correct[r] ? 1 : 0;
            }
        }
        var statuses = new Dictionary<string, int>
        {
            ["ok"] = ok,
            ["unsure"] = answers.Count(a => a.Status == PredictionStatus.Unsure) + readings.Length - ok,
            ["no-digit"] = answers.Count(a => a.Status == PredictionStatus.NoDigit),
            ["error"] = answers.Count(a => a.Status == PredictionStatus.Error),
        };
        return new ThresholdChoice(threshold, targetPrecision, (double)okRight / ok, name, answers.Count, readings.Length,
            (double)correct.Count(c => c) / correct.Length, statuses);
    }

    /// <summary>Whether <paramref name="right"/> of <paramref name="kept"/> reaches the target. A correctly rounded
    /// division gives the same double as the target's decimal for an exact hit (998 / 1000 and 0.998), where
    /// multiplying the target out may not.</summary>
    private static bool Reaches(int right, int kept, double targetPrecision) => (double)right / kept >= targetPrecision;

    private static void CheckTarget(double targetPrecision)
    {
        if (!(targetPrecision > 0 && targetPrecision <= 1))
            throw new ArgumentOutOfRangeException(nameof(targetPrecision), targetPrecision, "must be above 0 and at most 1");
    }
}
