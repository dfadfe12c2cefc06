using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Digits.Persistence;

/// <summary>
/// A safetensors file: string metadata plus named tensors, in the format of Hugging Face's
/// safetensors (https://github.com/huggingface/safetensors, README "Format"), so Python's
/// <c>safetensors.numpy.load_file</c> reads what we write and we read what it writes.
/// <code>
/// [8 bytes]  N, unsigned little-endian: the header length in bytes
/// [N bytes]  UTF-8 JSON: {"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}
///            padded with spaces so that N is a multiple of 8
/// [rest]     the tensors' bytes, little-endian and row-major; offsets count from the start of this section,
///            and the tensors fill it exactly, without gaps or overlaps
/// </code>
/// Reading checks all of this (see <see cref="SafeTensorsReader"/>) and reports a broken file as a
/// <see cref="DigitsException"/> that names the file.
/// </summary>
public sealed class SafeTensors
{
    /// <summary>The header key that holds the string-to-string metadata instead of a tensor.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The reference implementation refuses headers over 100 MB; so do we, before allocating anything.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly Dictionary<string, TensorData> byName;

    /// <exception cref="ArgumentException">Two tensors share a name.</exception>
    public SafeTensors(IEnumerable<TensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Tensors = tensors.ToArray();
        byName = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var t in Tensors)
        {
            if (!byName.TryAdd(t.Name, t))
                throw new ArgumentException($"tensor '{t.Name}' appears twice", nameof(tensors));
        }
        Metadata = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in Metadata)
        {
            if (value is null)
                throw new ArgumentException($"metadata '{key}' is null; safetensors metadata values are strings", nameof(metadata));
        }
    }

    /// <summary>The <c>__metadata__</c> entries; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// The tensors. After <see cref="Read(string)"/> they are in file order (by data offset);
    /// otherwise in the order given to the constructor.
    /// </summary>
    public IReadOnlyList<TensorData> Tensors { get; }

    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public TensorData? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>Reads and validates a safetensors file.</summary>
    /// <exception cref="DigitsException">The file is missing, unreadable, truncated or malformed; the subject is <paramref name="path"/>.</exception>
    public static SafeTensors Read(string path) => SafeTensorsReader.Parse(ReadFile(path), path);

    /// <summary>Parses a whole safetensors file held in memory, such as an embedded model.</summary>
    /// <param name="name">Names the file in error messages.</param>
    /// <exception cref="DigitsException">The bytes are truncated or malformed; the subject is <paramref name="name"/>.</exception>
    public static SafeTensors Read(ReadOnlySpan<byte> bytes, string name) => SafeTensorsReader.Parse(bytes.ToArray(), name);

    /// <summary>A file's bytes, with a missing or unreadable file reported as a <see cref="DigitsException"/> naming it.</summary>
    internal static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DigitsException(path, "no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DigitsException(path, $"cannot read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes the file atomically: to a temporary file in the same folder, then renamed over <paramref name="path"/>,
    /// so a crash or a full disk never leaves a half-written model where a good one was.
    /// </summary>
    /// <exception cref="DigitsException">The file cannot be written; the old file, if any, is untouched.</exception>
    public void Write(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>The whole file as bytes.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Writes the file to <paramref name="stream"/>. Tensors with larger elements come first (stably, otherwise in
    /// <see cref="Tensors"/> order), as the reference writer does, so that every tensor starts at a multiple of its
    /// element size and can be mapped in place.
    /// </summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var layout = Tensors.OrderByDescending(t => t.DType.ElementSize()).ToArray();
        byte[] header = EncodeHeader(layout);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var t in layout)
            stream.Write(t.Bytes);
    }

    /// <summary>The JSON header, space-padded to a multiple of 8 bytes. Metadata keys are sorted so equal content gives equal files.</summary>
    private byte[] EncodeHeader(IReadOnlyList<TensorData> layout)
    {
        using var json = new MemoryStream();
        // Relaxed escaping keeps JSON-valued metadata (architecture, metrics) readable in a hex dump or `head -c`.
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var w = new Utf8JsonWriter(json, options))
        {
            w.WriteStartObject();
            if (Metadata.Count > 0)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (key, value) in Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    w.WriteString(key, value);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in layout)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType.HeaderName());
                w.WriteStartArray("shape");
                foreach (int d in t.Shape)
                    w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                offset += t.Bytes.Length;
                w.WriteNumberValue(offset);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int padded = (int)((json.Length + 7) / 8 * 8);
        byte[] header = new byte[padded];
        json.GetBuffer().AsSpan(0, (int)json.Length).CopyTo(header);
        header.AsSpan((int)json.Length).Fill((byte)' ');
        return header;
    }
}
