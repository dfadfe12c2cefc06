using System.Globalization;

namespace Digits;

/// <summary>What <see cref="DigitModel"/> answers for one picture (shared CONTRACT.md, <c>predict</c>'s <c>status</c>).</summary>
public enum PredictionStatus
{
    /// <summary>One digit, read with a confidence at or above the model's threshold: <see cref="Prediction.Digit"/> is set.</summary>
    Ok,

    /// <summary>
    /// A reading is given (confidence and probabilities) but not a digit: the top probability is below the
    /// threshold, or the picture holds more than one digit. <see cref="Prediction.Reason"/> says which.
    /// </summary>
    Unsure,

    /// <summary>Nothing that could be a digit (blank, near-empty, specks only, noise): a normal answer, never a guess.</summary>
    NoDigit,

    /// <summary>The picture could not be read (missing, empty, corrupt, not an image, too large).</summary>
    Error,
}

/// <summary>One label and its probability, as <see cref="Prediction.Top"/> lists them.</summary>
/// <param name="Digit">The digit (the label's position among the model's labels 0…9).</param>
/// <param name="Probability">Its probability after calibration, 0–1.</param>
public readonly record struct DigitProbability(int Digit, double Probability);

/// <summary>
/// The answer for one picture. <see cref="Digit"/> is set only when <see cref="Status"/> is
/// <see cref="PredictionStatus.Ok"/>; <see cref="Confidence"/> and <see cref="Probabilities"/> are set for
/// <see cref="PredictionStatus.Ok"/> and <see cref="PredictionStatus.Unsure"/> and null otherwise, so a blank page
/// or an unreadable file never carries a guess.
/// </summary>
/// <param name="Status">ok, unsure, no-digit or error.</param>
/// <param name="Digit">The digit read, when <see cref="Status"/> is ok.</param>
/// <param name="Confidence">The top probability after the model's calibration, 0–1.</param>
/// <param name="Probabilities">One probability per digit 0…9, summing to 1.</param>
/// <param name="Reason">For people: why the answer is unsure or no-digit, or what made the file unreadable; null when ok.</param>
/// <param name="Normalized">The 28×28 image the model saw (784 bytes, white ink on black, row-major), whenever a
/// digit was found (ok and unsure); null otherwise.</param>
public sealed record Prediction(PredictionStatus Status, int? Digit, double? Confidence, float[]? Probabilities, string? Reason, byte[]? Normalized)
{
    /// <summary>The status as the contract spells it: <c>ok</c>, <c>unsure</c>, <c>no-digit</c> or <c>error</c>.</summary>
    public string StatusName => Name(Status);

    /// <summary>The digit the model rates highest, also when the answer is unsure; null for no-digit and error.</summary>
    public int? BestGuess => Probabilities is null ? null : Top(1)[0].Digit;

    /// <summary>
    /// The <paramref name="k"/> most probable digits, most probable first (ties by the lower digit); empty for
    /// no-digit and error.
    /// </summary>
    public IReadOnlyList<DigitProbability> Top(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (Probabilities is null)
            return [];
        return [.. Probabilities.Select((p, digit) => new DigitProbability(digit, p))
            .OrderByDescending(d => d.Probability).ThenBy(d => d.Digit).Take(k)];
    }

    /// <summary>How the contract spells <paramref name="status"/>.</summary>
    public static string Name(PredictionStatus status) => status switch
    {
        PredictionStatus.Ok => "ok",
        PredictionStatus.Unsure => "unsure",
        PredictionStatus.NoDigit => "no-digit",
        PredictionStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a PredictionStatus"),
    };

    /// <summary>
    /// The one rule that turns a reading into ok or unsure: a confidence at or above <paramref name="minConfidence"/>
    /// is ok, so 0 never answers unsure for confidence and 1 answers ok only for a certain reading.
    /// <see cref="Evaluation.ConfidenceThreshold"/> chooses thresholds with the same rule.
    /// </summary>
    public static bool IsConfident(double confidence, double minConfidence) => confidence >= minConfidence;

    /// <summary>The reason an answer is unsure for low confidence, e.g. "confidence 0.412 is below min_confidence 0.5".</summary>
    internal static string LowConfidence(double confidence, double minConfidence) =>
        string.Create(CultureInfo.InvariantCulture, $"confidence {confidence:0.######} is below min_confidence {minConfidence:0.######}");
}
