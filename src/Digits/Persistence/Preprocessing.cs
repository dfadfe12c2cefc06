using System.Text.Json;

namespace Digits.Persistence;

/// <summary>
/// How images were prepared before the model saw them; prediction must do the same.
/// Stored in model metadata as <c>{"normalize": "mnist", "deskew": false}</c>. Normalization is always
/// MNIST-style (ink centred by mass in a 28×28 box); only deskewing varies between models.
/// </summary>
/// <param name="Deskew">Whether images are deskewed (moment-based shear correction) before prediction.</param>
public sealed record Preprocessing(bool Deskew)
{
    /// <summary>The only normalization this build knows.</summary>
    public const string MnistNormalize = "mnist";

    public string ToJson() =>
        $$"""{"normalize": "{{MnistNormalize}}", "deskew": {{(Deskew ? "true" : "false")}}}""";

    /// <summary>Parses <see cref="ToJson"/>'s form.</summary>
    /// <exception cref="FormatException">Not that form; the message says which part is wrong.</exception>
    public static Preprocessing Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException("expected a JSON object");
            if (!root.TryGetProperty("normalize", out var normalize) || normalize.ValueKind != JsonValueKind.String)
                throw new FormatException("has no \"normalize\" string");
            if (normalize.GetString() != MnistNormalize)
                throw new FormatException($"normalize '{normalize.GetString()}' is unknown, this build does '{MnistNormalize}'");
            if (!root.TryGetProperty("deskew", out var deskew) || deskew.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw new FormatException("has no \"deskew\" boolean");
            return new Preprocessing(deskew.GetBoolean());
        }
    }
}
