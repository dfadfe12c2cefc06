using System.Globalization;
using System.Text.Json;

namespace Digits.Persistence;

/// <summary>
/// A model file's <c>calibration</c> (shared CONTRACT.md, "Files"): the temperature fitted on the validation split,
/// which prediction and ONNX export apply, and the validation split's expected calibration error before and after it.
/// Stored as JSON: <c>{"temperature": 1.42, "ece_before": 0.0123, "ece_after": 0.0041}</c>.
/// </summary>
/// <param name="Temperature">T in softmax(z / T); above 1 softens an over-confident model. Within
/// [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>].</param>
/// <param name="EceBefore">Validation expected calibration error without the temperature, 0–1.</param>
/// <param name="EceAfter">Validation expected calibration error with it, 0–1.</param>
public sealed record Calibration(double Temperature, double EceBefore, double EceAfter)
{
    /// <summary>
    /// The lowest temperature fitted or loaded: 1/20 sharpens logits twentyfold, far past what any of our models
    /// chose (docs/architecture.md, "Calibration"); a file asking for less is more likely broken than meant.
    /// </summary>
    public const double MinTemperature = 0.05;

    /// <summary>The highest temperature fitted or loaded: at 20 a confident CNN's probabilities are already nearly uniform.</summary>
    public const double MaxTemperature = 20;

    public string ToJson() => string.Create(CultureInfo.InvariantCulture,
        $$"""{"temperature": {{Temperature:R}}, "ece_before": {{EceBefore:R}}, "ece_after": {{EceAfter:R}}}""");

    /// <summary>Why these values could not be stored or applied, or null if they can.</summary>
    public string? Problem()
    {
        if (!double.IsFinite(Temperature) || Temperature < MinTemperature || Temperature > MaxTemperature)
            return string.Create(CultureInfo.InvariantCulture, $"temperature is {Temperature}, expected {MinTemperature} to {MaxTemperature}");
        foreach (var (name, value) in new[] { ("ece_before", EceBefore), ("ece_after", EceAfter) })
        {
            if (!(value >= 0 && value <= 1))
                return string.Create(CultureInfo.InvariantCulture, $"{name} is {value}, expected 0 to 1");
        }
        return null;
    }

    /// <summary>Reads the JSON that <see cref="ToJson"/> writes; the message names the missing or bad field.</summary>
    /// <exception cref="FormatException">Not a JSON object with the three numbers, or values <see cref="Problem"/> refuses.</exception>
    public static Calibration Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException($"must be a JSON object, found {root.ValueKind.ToString().ToLowerInvariant()}");
            double Number(string name) =>
                !root.TryGetProperty(name, out var value) ? throw new FormatException($"has no \"{name}\"")
                : value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number)
                    ? throw new FormatException($"\"{name}\" must be a number, found {value.GetRawText()}")
                    : number;
            var calibration = new Calibration(Number("temperature"), Number("ece_before"), Number("ece_after"));
            return calibration.Problem() is { } problem ? throw new FormatException(problem) : calibration;
        }
        catch (JsonException e)
        {
            throw new FormatException($"is not valid JSON: {e.Message}", e);
        }
    }
}
