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
    public static void Print(object value) => Console.Out.WriteLine(Serialize(value));

    /// <summary>The JSON text of <paramref name="value"/>, with non-finite numbers as null and a note about them on stderr.</summary>
    public static string Serialize(object value)
    {
        var counter = new NonFiniteCounter();
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            WriteIndented = false,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
            Converters = { new FiniteDoubleConverter(counter), new FiniteSingleConverter(counter) },
        };
        string json = JsonSerializer.Serialize(value, value.GetType(), options);
        if (counter.Count > 0)
            Console.Error.WriteLine($"note: {counter.Count} value(s) were not finite numbers (NaN or infinity), which JSON cannot hold; they are written as null");
        return json;
    }

    /// <summary>How many non-finite numbers one serialization met.</summary>
    private sealed class NonFiniteCounter
    {
        public int Count;
    }

    private sealed class FiniteDoubleConverter(NonFiniteCounter counter) : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
                return;
            }
            counter.Count++;
            writer.WriteNullValue();
        }
    }

    private sealed class FiniteSingleConverter(NonFiniteCounter counter) : JsonConverter<float>
    {
        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetSingle();

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value))
            {
                writer.WriteNumberValue(value);
                return;
            }
            counter.Count++;
            writer.WriteNullValue();
        }
    }
}
