using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Digits.Neural;

/// <summary>
/// Everything needed to rebuild a CNN's <see cref="Network"/> from a model file: the sample shape, the layers top
/// to bottom, and an optional input standardization. Stored as the model file's <c>architecture</c> JSON:
/// <c>{"input": [1, 28, 28], "standardize": {"mean": 0.1307, "std": 0.3081}, "layers": [...]}</c>
/// (<c>standardize</c> only when used).
/// </summary>
/// <param name="Input">One sample's shape, (1, 28, 28) for MNIST.</param>
/// <param name="Layers">The layers, as <see cref="Architecture"/> writes them.</param>
/// <param name="Standardization">Applied to pixels in [0, 1] before the first layer; null for none.</param>
public sealed record CnnArchitecture(SampleShape Input, IReadOnlyList<LayerSpec> Layers, InputStandardization? Standardization = null)
{
    /// <summary>A 28×28 grayscale digit.</summary>
    public static SampleShape MnistInput { get; } = new(1, 28, 28);

    public string ToJson()
    {
        var root = new JsonObject { ["input"] = new JsonArray([.. Input.Dimensions.Select(d => (JsonNode)d)]) };
        if (Standardization is { } s)
        {
            root["standardize"] = new JsonObject { ["mean"] = s.Mean, ["std"] = s.Std };
        }
        root["layers"] = JsonNode.Parse(Architecture.ToJson(Layers));
        return root.ToJsonString();
    }

    /// <summary>Parses <see cref="ToJson"/>'s form, or throws <see cref="DigitsException"/> saying what is wrong.</summary>
    public static CnnArchitecture FromJson(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException error)
        {
            throw new DigitsException("architecture", $"not valid JSON: {error.Message}", error);
        }
        if (root is not JsonObject obj)
        {
            throw new DigitsException("architecture", "expected a JSON object with \"input\" and \"layers\"");
        }
        if (obj["input"] is not JsonArray input || input.Count is not (1 or 3) || input.Any(d => d is not JsonValue v || !v.TryGetValue(out int size) || size <= 0))
        {
            throw new DigitsException("architecture", "\"input\" must be [channels, height, width] or [features] of positive integers");
        }
        int[] dims = [.. input.Select(d => d!.GetValue<int>())];
        SampleShape shape = dims.Length == 3 ? new SampleShape(dims[0], dims[1], dims[2]) : SampleShape.Flat(dims[0]);
        if (obj["layers"] is not JsonArray layers)
        {
            throw new DigitsException("architecture", "\"layers\" must be a JSON array");
        }
        InputStandardization? standardization = null;
        if (obj["standardize"] is { } node)
        {
            if (node is not JsonObject s || !TryFloat(s["mean"], out float mean) || !TryFloat(s["std"], out float std) || !(std > 0f))
            {
                throw new DigitsException("architecture", "\"standardize\" must be {\"mean\": number, \"std\": positive number}");
            }
            standardization = new InputStandardization(mean, std);
        }
        return new CnnArchitecture(shape, Architecture.FromJson(layers.ToJsonString()), standardization);
    }

    private static bool TryFloat(JsonNode? node, out float value)
    {
        value = 0f;
        return node is JsonValue v && v.TryGetValue(out double d) && float.IsFinite(value = (float)d);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Input} → {Layers.Count} layers");
}

/// <summary>
/// x ↦ (x − <paramref name="Mean"/>) / <paramref name="Std"/> on pixels in [0, 1], one mean and deviation over all
/// pixels of the training set (as the fast PyTorch recipe does), so the first layer sees zero-mean, unit-variance input.
/// </summary>
public sealed record InputStandardization(float Mean, float Std)
{
    /// <summary>The mean and (population) standard deviation of every pixel of the chosen images, scaled to [0, 1].</summary>
    public static InputStandardization Measure(Data.LabeledImages images, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (indices.IsEmpty)
        {
            throw new ArgumentException("needs at least one image", nameof(indices));
        }
        Span<long> histogram = stackalloc long[256];
        foreach (int index in indices)
        {
            foreach (byte p in images.Image(index))
            {
                histogram[p]++;
            }
        }
        long count = (long)indices.Length * images.PixelsPerImage;
        double sum = 0, sumSquares = 0;
        for (int v = 0; v < 256; v++)
        {
            double x = v / 255.0;
            sum += histogram[v] * x;
            sumSquares += histogram[v] * x * x;
        }
        double mean = sum / count;
        double variance = Math.Max(sumSquares / count - mean * mean, 1e-12);
        return new InputStandardization((float)mean, (float)Math.Sqrt(variance));
    }

    /// <summary>Standardizes <paramref name="values"/> in place: a subtraction then a division, as the ONNX export does it.</summary>
    public void Apply(Span<float> values)
    {
        System.Numerics.Tensors.TensorPrimitives.Add(values, -Mean, values);
        System.Numerics.Tensors.TensorPrimitives.Divide(values, Std, values);
    }
}
