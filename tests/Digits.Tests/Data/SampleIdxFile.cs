using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Digits.Tests.Data;

/// <summary>Small IDX-shaped files for download and hashing tests: made in memory, never real MNIST data.</summary>
public static class SampleIdxFile
{
    /// <summary>
    /// An IDX1 label file: magic 0x00000801 big-endian, then the count, then <paramref name="count"/> labels 0–9,
    /// drawn at random with a fixed seed so the gzip is over a kilobyte and a body can be cut off part way.
    /// </summary>
    public static byte[] Content(int count = 3000)
    {
        var content = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(content, 0x00000801);
        BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(4), count);
        var random = new Random(20251127);
        for (int i = 0; i < count; i++)
        {
            content[8 + i] = (byte)random.Next(10);
        }
        return content;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }
        return compressed.ToArray();
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
