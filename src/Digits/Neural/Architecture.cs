using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digits.Neural;

/// <summary>
/// Reads and writes a list of <see cref="LayerSpec"/>s as JSON, e.g.
/// <c>[{"type":"conv2d","out":32,"kernel":3,"stride":1,"padding":0},{"type":"relu"},...]</c>, so a model file
/// can store its architecture and rebuild the <see cref="Network"/>.
/// </summary>
public static class Architecture
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowOutOfOrderMetadataProperties = true,
        RespectRequiredConstructorParameters = true,
    };

    public static string ToJson(IReadOnlyList<LayerSpec> layers) => JsonSerializer.Serialize(layers.ToArray(), Options);

    /// <summary>Parses an architecture, or throws <see cref="DigitsException"/> saying what is wrong with it.</summary>
    public static IReadOnlyList<LayerSpec> FromJson(string json)
    {
        LayerSpec[]? layers;
        try
        {
            layers = JsonSerializer.Deserialize<LayerSpec[]>(json, Options);
        }
        catch (JsonException error)
        {
            throw new DigitsException("architecture", $"not a valid layer list: {error.Message}", error);
        }
        catch (NotSupportedException error)
        {
            throw new DigitsException("architecture", $"not a valid layer list: {error.Message}", error);
        }
        if (layers is null || Array.IndexOf(layers, null) >= 0)
        {
            throw new DigitsException("architecture", "expected a JSON array of layer objects");
        }
        return layers;
    }
}
