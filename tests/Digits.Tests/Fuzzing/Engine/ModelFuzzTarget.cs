using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Digits.Persistence;

namespace Digits.Fuzzing;

/// <summary>
/// Digits model files (safetensors) of every kind through <see cref="ModelFile.Load(ReadOnlySpan{byte}, string)"/>,
/// <see cref="ModelLoader.FromModelFile"/> and one prediction on a blank image. A loaded model must give as many
/// finite probabilities as it has labels, summing to 1; loading must stay within
/// <see cref="ModelMemoryBudget.LoadBytes"/>.
/// </summary>
public sealed class ModelFuzzTarget : FuzzTarget
{
    private const string Name = "fuzz.safetensors";

    public override string Format => "safetensors";

    public override IReadOnlyList<string> Stages { get; } = ["header parsed", "metadata parsed", "model built", "predicted"];

    public override IReadOnlyList<byte[]> Seeds { get; } = ModelSeeds.All();

    /// <summary>Edits the header length, a tensor's shape, dtype or offsets, or a <c>__metadata__</c> value.</summary>
    public override byte[] EditStructure(byte[] file, Random random)
    {
        if (file.Length < 8)
            return file;
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (random.Next(10) == 0 || length > (ulong)(file.Length - 8))
        {
            byte[] copy = (byte[])file.Clone();
            ulong value = random.Next(4) switch
            {
                0 => length + (ulong)random.Next(1, 16),
                1 => length - (ulong)random.Next(1, 16),
                2 => (ulong)random.NextInt64(),
                _ => 0,
            };
            BinaryPrimitives.WriteUInt64LittleEndian(copy, value);
            return copy;
        }
        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.AsSpan(8, (int)length)) as JsonObject ?? throw new JsonException("not an object");
            if (random.Next(2) == 0 && header[SafeTensors.MetadataKey] is JsonObject metadata)
                EditMetadata(metadata, random);
            else
                EditTensor(header, random);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, not UTF-8, or a key twice, after an earlier edit: left to the byte-level edits.
            return file;
        }
        byte[] text = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] edited = new byte[8 + text.Length + file.Length - 8 - (int)length];
        BinaryPrimitives.WriteUInt64LittleEndian(edited, (ulong)text.Length);
        text.CopyTo(edited, 8);
        file.AsSpan(8 + (int)length).CopyTo(edited.AsSpan(8 + text.Length));
        return edited;
    }

    public override void Run(byte[] file, Action<string> reached)
    {
        ModelFile model;
        try
        {
            model = ModelFile.Load(file, Name);
        }
        catch (DigitsException)
        {
            ReportParsedStages(file, reached);
            throw;
        }
        reached("header parsed");
        reached("metadata parsed");
        IPersistableModel classifier = ModelLoader.FromModelFile(model);
        reached("model built");
        var probabilities = new float[classifier.Labels.Count];
        classifier.Predict(new byte[28 * 28], 1, probabilities);
        double sum = 0;
        foreach (float p in probabilities)
        {
            if (!float.IsFinite(p) || p < 0 || p > 1)
                throw new FuzzCheckException($"{classifier.Kind} predicted probability {p}");
            sum += p;
        }
        if (Math.Abs(sum - 1) > 1e-3)
            throw new FuzzCheckException($"{classifier.Kind} predicted probabilities summing to {sum}");
        reached("predicted");
    }

    /// <summary>
    /// <see cref="ModelMemoryBudget.LoadBytes"/>, plus the second parse that <see cref="Run"/> makes of a refused
    /// file to find the stage it reached (a copy of the file and its header's strings).
    /// </summary>
    public override long MemoryLimit(byte[] file) => ModelMemoryBudget.LoadBytes(file.Length) + 4L * file.Length;

    private static void ReportParsedStages(byte[] file, Action<string> reached)
    {
        SafeTensors parsed;
        try
        {
            parsed = SafeTensors.Read(file, Name);
        }
        catch (DigitsException)
        {
            return;
        }
        reached("header parsed");
        try
        {
            ModelMetadata.FromDictionary(parsed.Metadata, Name);
            reached("metadata parsed");
        }
        catch (DigitsException)
        {
            // Refused in the metadata: the stage reached is the header.
        }
    }

    private static readonly string[] DTypes = ["F32", "F64", "I32", "I64", "U8", "F16", "BOOL", "f32", ""];

    private static void EditTensor(JsonObject header, Random random)
    {
        var tensors = header.Where(p => p.Key != SafeTensors.MetadataKey && p.Value is JsonObject).ToArray();
        if (tensors.Length == 0)
            return;
        var (name, node) = tensors[random.Next(tensors.Length)];
        var tensor = (JsonObject)node!;
        switch (random.Next(5))
        {
            case 0:
                if (tensor["shape"] is JsonArray shape)
                {
                    if (shape.Count > 0 && random.Next(4) != 0)
                        shape[random.Next(shape.Count)] = Number(shape[random.Next(shape.Count)], random);
                    else if (shape.Count > 0 && random.Next(2) == 0)
                        shape.RemoveAt(random.Next(shape.Count));
                    else
                        shape.Insert(random.Next(shape.Count + 1), random.Next(3));
                }
                break;
            case 1:
                tensor["dtype"] = DTypes[random.Next(DTypes.Length)];
                break;
            case 2:
                if (tensor["data_offsets"] is JsonArray offsets && offsets.Count == 2)
                    offsets[random.Next(2)] = Number(offsets[random.Next(2)], random);
                break;
            case 3:
                var (_, other) = tensors[random.Next(tensors.Length)];
                tensor["data_offsets"] = other!["data_offsets"]?.DeepClone();
                break;
            default:
                header.Remove(name);
                header[random.Next(2) == 0 ? name + "x" : name] = tensor.DeepClone();
                if (random.Next(2) == 0)
                    header.Remove(name);
                break;
        }
    }

    private static readonly string[] Kinds = [.. ModelKind.All, "Cnn", ""];

    private static void EditMetadata(JsonObject metadata, Random random)
    {
        string[] keys = [.. metadata.Select(p => p.Key)];
        string key = random.Next(3) == 0 ? keys[random.Next(keys.Length)] : random.Next(3) switch
        {
            0 => "architecture",
            1 => "kind",
            _ => random.Next(2) == 0 ? "labels" : "preprocessing",
        };
        string? value = metadata[key]?.GetValue<string>();
        if (random.Next(12) == 0)
        {
            metadata.Remove(key);
            return;
        }
        metadata[key] = key switch
        {
            "kind" => Kinds[random.Next(Kinds.Length)],
            "labels" => random.Next(4) switch
            {
                0 => JsonSerializer.Serialize(Enumerable.Range(0, random.Next(4) switch { 0 => 0, 1 => 1, 2 => 2, _ => random.Next(2000) }).Select(i => i.ToString()).ToArray()),
                1 => """["0","0","1","2","3","4","5","6","7","8"]""",
                2 => "[1,2,3]",
                _ => "{}",
            },
            _ when value is not null && TryEditJson(value, random) is { } edited => edited,
            _ => random.Next(2) == 0 ? "" : "{\"x\": " + random.Next() + "}",
        };
    }

    /// <summary>A JSON document with one value changed: a number, a string, or a removed property; null if not JSON.</summary>
    private static string? TryEditJson(string json, Random random)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        if (root is null)
            return null;
        var leaves = new List<JsonNode>();
        Collect(root, leaves);
        if (leaves.Count == 0)
            return null;
        JsonNode leaf = leaves[random.Next(leaves.Count)];
        JsonNode? parent = leaf.Parent;
        JsonNode? replacement = random.Next(5) switch
        {
            0 when parent is JsonObject => null,
            1 => JsonValue.Create(random.Next(4) switch { 0 => "conv2d", 1 => "linear", 2 => "rbf", _ => "mnist" }),
            2 => random.Next(2) == 0 ? JsonValue.Create(true) : new JsonArray(1, 28, 28),
            _ => Number(leaf, random),
        };
        if (parent is JsonObject obj)
        {
            string property = leaf.GetPropertyName();
            if (replacement is null)
                obj.Remove(property);
            else
                obj[property] = replacement;
        }
        else if (parent is JsonArray array)
        {
            array[leaf.GetElementIndex()] = replacement ?? 0;
        }
        else
        {
            return replacement?.ToJsonString();
        }
        return root.ToJsonString();
    }

    private static void Collect(JsonNode node, List<JsonNode> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                        Collect(child, leaves);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                        Collect(child, leaves);
                }
                break;
            default:
                leaves.Add(node);
                break;
        }
    }

    /// <summary>A number near, far from or wildly unlike <paramref name="old"/>: the sizes that break size arithmetic.</summary>
    private static JsonNode Number(JsonNode? old, Random random)
    {
        long value = old is JsonValue v && v.TryGetValue(out long parsed) ? parsed : 1;
        return random.Next(9) switch
        {
            0 => 0,
            1 => -1,
            2 => value + random.Next(-2, 3),
            3 => value * 2,
            4 => 2_000_000,
            5 => int.MaxValue,
            6 => 1L << 31,
            7 => 10_000_000_000L,
            _ => JsonValue.Create(random.Next(2) == 0 ? 0.5 : 1e300),
        };
    }
}
