using System.Buffers.Binary;
using System.IO.Compression;
using Digits.Data;

namespace Digits.Fuzzing;

/// <summary>
/// IDX files through <see cref="IdxReader"/>: small image and label arrays, raw and gzipped, made here (never dataset
/// data). A loaded array must hold exactly the values its shape declares.
/// </summary>
public sealed class IdxFuzzTarget : FuzzTarget
{
    private const long SlackBytes = 64_000_000;

    public IdxFuzzTarget()
    {
        var random = new Random(28);
        var pixels = new byte[3 * 28 * 28];
        random.NextBytes(pixels);
        var labels = new byte[40];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = (byte)random.Next(10);
        byte[] images = Encode(new IdxArray([3, 28, 28], pixels)), labelFile = Encode(new IdxArray([labels.Length], labels));
        Seeds = [images, labelFile, Gzip(images), Gzip(labelFile)];
    }

    public override string Format => "idx";

    public override IReadOnlyList<string> Stages { get; } = ["read", "checked"];

    public override IReadOnlyList<byte[]> Seeds { get; }

    /// <summary>Edits the magic number or a dimension, in the raw bytes or inside the gzip stream.</summary>
    public override byte[] EditStructure(byte[] file, Random random)
    {
        bool gzipped = file.Length > 2 && file[0] == 0x1f && file[1] == 0x8b;
        byte[]? raw = gzipped ? Gunzip(file, 1 << 20) : file;
        if (raw is null || raw.Length < 4)
            return file;
        raw = (byte[])raw.Clone();
        int rank = Math.Min((int)raw[3], 4);
        if (random.Next(3) == 0 || rank == 0)
        {
            raw[random.Next(4)] = random.Next(2) == 0 ? (byte)random.Next(256) : (byte)random.Next(6);
        }
        else
        {
            int at = 4 + 4 * random.Next(rank);
            if (at + 4 <= raw.Length)
            {
                uint dimension = random.Next(5) switch
                {
                    0 => 0,
                    1 => uint.MaxValue,
                    2 => (uint)random.Next(),
                    3 => BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(at)) + (uint)random.Next(-2, 3),
                    _ => (uint)random.Next(1 << 16),
                };
                BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(at), dimension);
            }
        }
        return gzipped ? Gzip(raw) : raw;
    }

    public override void Run(byte[] file, Action<string> reached)
    {
        IdxArray array = IdxReader.Read(new MemoryStream(file, writable: false), "fuzz.idx");
        reached("read");
        long count = array.Shape.Aggregate(1L, (product, d) => product * d);
        if (array.Rank is < 1 or > 4 || count != array.Data.Length)
            throw new FuzzCheckException($"shape [{string.Join(",", array.Shape)}] does not match {array.Data.Length} values");
        reached("checked");
    }

    /// <summary>Four times the data a file really holds (after decompression), plus 64 MB.</summary>
    public override long MemoryLimit(byte[] file)
    {
        long content = file.Length > 2 && file[0] == 0x1f && file[1] == 0x8b ? Gunzip(file, 1L << 31)?.Length ?? file.Length : file.Length;
        return 4 * Math.Max(content, file.Length) + SlackBytes;
    }

    private static byte[] Encode(IdxArray array)
    {
        using var stream = new MemoryStream();
        IdxWriter.Write(stream, array);
        return stream.ToArray();
    }

    private static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(content);
        return compressed.ToArray();
    }

    /// <summary>What a gzip stream decompresses to, cut at <paramref name="limit"/> bytes; null if it is broken from the start.</summary>
    private static byte[]? Gunzip(byte[] file, long limit)
    {
        using var output = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
            var buffer = new byte[1 << 16];
            int read;
            while (output.Length < limit && (read = gzip.Read(buffer)) > 0)
                output.Write(buffer, 0, read);
        }
        catch (InvalidDataException)
        {
            // Broken part way: what came out before the break is what a reader can see.
        }
        return output.Length == 0 ? null : output.ToArray();
    }
}
