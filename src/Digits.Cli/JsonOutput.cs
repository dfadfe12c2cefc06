using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digits.Cli;

/// <summary>
/// The one JSON object a command prints under --json: snake_case names, nulls kept, numbers as numbers. JSON has no
/// NaN or infinity, so a value that is not a finite number (a diverged loss, a log loss of a certain mistake) is
/// written as null, and a note on stderr says how many were.
/// </summary>
internal static class JsonOutput
{
    [ThreadStatic]
    private static int nonFinite;

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new FiniteDoubleConverter(), new FiniteSingleConverter() },
    };

    public static void Print(object value) => Console.Out.WriteLine(Serialize(value));

    /// <summary>The JSON text of <paramref name="value"/>, with non-finite numbers as null and a note about them on stderr.</summary>
    public static string Serialize(object value)
    {
        nonFinite = 0;
        string json = JsonSerializer.Serialize(value, value.GetType(), Options);
        if (nonFinite > 0)
            Console.Error.WriteLine($"note: {nonFinite} value(s) were not finite numbers (NaN or infinity), which JSON cannot hold; they are written as null");
        return json;
    }

    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
                return;
            }
            nonFinite++;
            writer.WriteNullValue();
        }
    }

    private sealed class FiniteSingleConverter : JsonConverter<float>
    {
        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetSingle();

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value))
            {
                writer.WriteNumberValue(value);
                return;
            }
            nonFinite++;
            writer.WriteNullValue();
        }
    }
}
