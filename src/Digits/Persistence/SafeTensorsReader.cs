using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Digits.Persistence;

/// <summary>
/// Parses and validates a safetensors file with the checks of the reference implementation
/// (safetensors/src/tensor.rs, <c>SafeTensors::read_metadata</c> and <c>Metadata::validate</c>):
/// the header fits in the file, is a JSON object, every dtype is known, every tensor's shape matches its
/// byte span, and the tensors tile the data section exactly. Each failure is a <see cref="DigitsException"/>
/// whose subject is the file and whose problem says what was found, e.g.
/// <c>tensor 'conv1.weight': shape [32,1,3,3] needs 1152 bytes, offsets give 1000</c>.
/// </summary>
internal static class SafeTensorsReader
{
    private const int LengthPrefixBytes = 8;

    /// <summary>
    /// The most dimensions a tensor may have. Digits tensors have at most 4; the limit keeps a header that lists
    /// millions of dimensions from costing more memory than the file.
    /// </summary>
    public const int MaxRank = 8;

    private sealed record Entry(string Name, TensorDType DType, int[] Shape, long Begin, long End);

    /// <summary>Parses a whole file; the tensors are slices of <paramref name="file"/>, which must not change afterwards.</summary>
    public static SafeTensors Parse(ReadOnlyMemory<byte> file, string name)
    {
        if (file.Length < LengthPrefixBytes)
            throw new DigitsException(name, $"truncated, file has {file.Length} bytes, too short for the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file.Span);
        if (headerLength > SafeTensors.MaxHeaderBytes)
        {
            throw new DigitsException(name,
                $"header length says {headerLength} bytes, over the {SafeTensors.MaxHeaderBytes / 1_000_000} MB limit (not a safetensors file?)");
        }
        long dataStart = LengthPrefixBytes + (long)headerLength;
        if (dataStart > file.Length)
            throw Truncated(name, dataStart, file.Length);

        var (metadata, entries) = ParseHeader(file.Slice(LengthPrefixBytes, (int)headerLength), name);

        long dataLength = file.Length - dataStart;
        long dataEnd = entries.Count == 0 ? 0 : entries.Max(e => e.End);
        if (dataEnd > dataLength)
            throw Truncated(name, dataEnd > long.MaxValue - dataStart ? long.MaxValue : dataStart + dataEnd, file.Length);
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        CheckTiling(entries, name);
        if (dataEnd < dataLength)
            throw new DigitsException(name, $"{dataLength - dataEnd} bytes after the last tensor, which the header does not describe");

        var data = file[(int)dataStart..];
        var tensors = new List<TensorData>(entries.Count);
        foreach (var e in entries)
            tensors.Add(new TensorData(e.Name, e.DType, e.Shape, data[(int)e.Begin..(int)e.End]));
        return new SafeTensors(tensors, metadata);
    }

    private static (Dictionary<string, string> Metadata, List<Entry> Entries) ParseHeader(ReadOnlyMemory<byte> header, string name)
    {
        // JsonDocument checks UTF-8 only when a string is read, and then throws InvalidOperationException.
        if (!Utf8.IsValid(header.Span))
            throw BadHeader(name, "not valid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new DigitsException(name, $"bad header JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw BadHeader(name, $"expected an object, found {Describe(root.ValueKind)}");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw BadHeader(name, $"'{property.Name}' appears twice");
                if (property.Name == SafeTensors.MetadataKey)
                    ReadMetadata(property.Value, metadata, name);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, name));
            }
            return (metadata, entries);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw BadHeader(name, $"{SafeTensors.MetadataKey} is {Describe(value.ValueKind)}, expected an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw BadHeader(name, $"{SafeTensors.MetadataKey} value '{item.Name}' is {Describe(item.Value.ValueKind)}, expected a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(string tensor, JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw BadHeader(name, $"tensor '{tensor}' is {Describe(value.ValueKind)}, expected an object");
        if (!value.TryGetProperty("dtype", out var dtypeJson) || dtypeJson.ValueKind != JsonValueKind.String)
            throw BadHeader(name, $"tensor '{tensor}' has no dtype string");
        string dtypeName = dtypeJson.GetString()!;
        if (!TensorDTypeExtensions.TryParseHeaderName(dtypeName, out var dtype))
            throw new DigitsException(name, $"tensor '{tensor}' has dtype '{dtypeName}', this build reads F32, F64, I32, I64 and U8");

        int[] shape = ReadIntegers(value, "shape", MaxRank, tensor, name)
            .Select(d => d <= int.MaxValue ? (int)d : throw BadHeader(name, $"tensor '{tensor}' has dimension {d}, over {int.MaxValue}"))
            .ToArray();
        long[] offsets = ReadIntegers(value, "data_offsets", 2, tensor, name);
        if (offsets.Length != 2)
            throw BadHeader(name, $"tensor '{tensor}' has {offsets.Length} data_offsets, expected 2: [begin, end]");
        var (begin, end) = (offsets[0], offsets[1]);
        if (end < begin)
            throw new DigitsException(name, $"tensor '{tensor}': data_offsets [{begin}, {end}] end before they begin");

        long? needed = null;
        try
        {
            needed = checked(TensorData.ElementCountOf(shape) * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            // Left null: reported below as a mismatch, since no file can hold that many bytes.
        }
        if (needed != end - begin)
        {
            throw new DigitsException(name,
                $"tensor '{tensor}': shape {TensorData.FormatShape(shape)} needs {needed?.ToString(CultureInfo.InvariantCulture) ?? "more than 2^63"} bytes, offsets give {end - begin}");
        }
        return new Entry(tensor, dtype, shape, begin, end);
    }

    /// <summary>An array of at most <paramref name="maxCount"/> non-negative integers, such as <c>shape</c> or <c>data_offsets</c>.</summary>
    private static long[] ReadIntegers(JsonElement entry, string field, int maxCount, string tensor, string name)
    {
        if (!entry.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw BadHeader(name, $"tensor '{tensor}' has no {field} array");
        int count = array.GetArrayLength();
        if (count > maxCount)
            throw BadHeader(name, $"tensor '{tensor}' {field} has {count} values, more than the {maxCount} this build reads");
        var values = new long[count];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
                throw BadHeader(name, $"tensor '{tensor}' {field} holds {item.GetRawText()}, expected non-negative integers");
            values[i++] = v;
        }
        return values;
    }

    /// <summary>
    /// Tensors, sorted by offset, must cover the data section from offset 0 without overlaps or gaps,
    /// as the reference requires.
    /// </summary>
    private static void CheckTiling(List<Entry> sorted, string name)
    {
        Entry? previous = null;
        foreach (var e in sorted)
        {
            long expected = previous?.End ?? 0;
            if (e.Begin < expected)
            {
                throw new DigitsException(name,
                    $"tensors '{previous!.Name}' [{previous.Begin}, {previous.End}) and '{e.Name}' [{e.Begin}, {e.End}) overlap");
            }
            if (e.Begin > expected)
            {
                throw new DigitsException(name,
                    $"gap of {e.Begin - expected} bytes before tensor '{e.Name}' at data offset {e.Begin}; tensors must be contiguous");
            }
            previous = e;
        }
    }

    private static DigitsException BadHeader(string name, string problem) => new(name, $"bad header JSON: {problem}");

    private static DigitsException Truncated(string name, long needed, long actual)
    {
        string neededText = ByteSize(needed), actualText = ByteSize(actual);
        if (neededText == actualText)
            (neededText, actualText) = ($"{needed} bytes", $"{actual} bytes");
        return new DigitsException(name, $"truncated, header says {neededText}, file has {actualText}");
    }

    /// <summary>A size in decimal units (1 MB = 10^6 bytes), exact below 10 kB.</summary>
    internal static string ByteSize(long bytes) => bytes switch
    {
        < 10_000 => $"{bytes} bytes",
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.#} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.#} GB"),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
