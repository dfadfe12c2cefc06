using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digits.Cli;

/// <summary>The one JSON object a command prints under --json: snake_case names, nulls kept, numbers as numbers.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static void Print(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Options));
}
