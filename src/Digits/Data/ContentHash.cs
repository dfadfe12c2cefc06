using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Digits.Data;

/// <summary>The SHA-256 and length of some content, as found by <see cref="ContentHash"/>.</summary>
/// <param name="Sha256">Lowercase hex SHA-256 of the content.</param>
/// <param name="Length">Length of the content in bytes (after decompression, when it was gunzipped).</param>
public readonly record struct ContentDigest(string Sha256, long Length);

/// <summary>
/// Streaming SHA-256 of files and streams, optionally of a gzip file's decompressed content
/// (MNIST publishes its checksums for the decompressed IDX files). Reads 1 MiB at a time, so a file of any size
/// costs a fixed amount of memory.
/// </summary>
public static class ContentHash
{
    /// <summary>Read size in bytes: large enough that per-call overhead vanishes, small enough to stay out of the large-object heap's way.</summary>
    private const int BufferSize = 1 << 20;

    /// <summary>The gzip header's magic bytes, 1f 8b (RFC 1952, section 2.3.1).</summary>
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    /// <summary>Smallest possible gzip file in bytes: a 10-byte header, a 2-byte empty deflate block and an 8-byte trailer.</summary>
    private const int MinimumGzipLength = 20;

    /// <summary>Lowercase hex SHA-256 of everything left in <paramref name="s"/>, read to its end.</summary>
    public static string Sha256Hex(Stream s) => Digest(s).Sha256;

    /// <summary>
    /// Lowercase hex SHA-256 of the file at <paramref name="path"/>, or of its decompressed content when <paramref name="gunzip"/> is true.
    /// </summary>
    /// <exception cref="DigitsException">The file is not gzip, or is corrupt or truncated, when <paramref name="gunzip"/> is true.</exception>
    public static string Sha256OfFile(string path, bool gunzip) => DigestOfFile(path, gunzip).Sha256;

    /// <summary>
    /// Lowercase hex SHA-256 of the IDX file that holds <paramref name="array"/>, computed from memory. <see cref="IdxReader"/>
    /// accepts only the one encoding of an array (the header is fixed by the shape, and trailing bytes are refused), so
    /// this equals the SHA-256 of the decompressed file the array was read from, without reading or gunzipping it again.
    /// </summary>
    public static string Sha256OfIdx(IdxArray array)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(IdxWriter.Header(array));
        sha256.AppendData(array.Data);
        return Convert.ToHexStringLower(sha256.GetHashAndReset());
    }

    /// <summary>SHA-256 and length of everything left in <paramref name="s"/>, read to its end.</summary>
    public static ContentDigest Digest(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long length = 0;
        int read;
        while ((read = s.Read(buffer)) > 0)
        {
            sha256.AppendData(buffer, 0, read);
            length += read;
        }
        return new ContentDigest(Convert.ToHexStringLower(sha256.GetHashAndReset()), length);
    }

    /// <summary>
    /// SHA-256 and length of the file at <paramref name="path"/>, or of its decompressed content when <paramref name="gunzip"/> is true.
    /// </summary>
    /// <remarks>
    /// .NET's <see cref="GZipStream"/> checks the trailer's CRC when it gets there, but a stream cut short just ends early
    /// without an error. So this also checks that the decompressed length matches the trailer's ISIZE field
    /// (the length mod 2^32), which the last four bytes of a complete file hold. That check assumes one gzip member,
    /// as gzip(1) writes and MNIST ships; a multi-member file would be reported as truncated.
    /// </remarks>
    /// <exception cref="DigitsException">The file is not gzip, or is corrupt or truncated, when <paramref name="gunzip"/> is true.</exception>
    public static ContentDigest DigestOfFile(string path, bool gunzip)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        if (!gunzip)
        {
            return Digest(file);
        }

        uint trailerLength = ReadGzipTrailerLength(file, path);
        ContentDigest digest;
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            digest = Digest(gzip);
        }
        catch (InvalidDataException e)
        {
            throw new DigitsException(path, "not a valid gzip stream: corrupt compressed data or CRC", e);
        }
        if ((uint)digest.Length != trailerLength)
        {
            throw new DigitsException(path, $"truncated gzip stream: it ends before its trailer, after {digest.Length} decompressed bytes");
        }
        return digest;
    }

    /// <summary>Checks the gzip magic, reads the trailer's ISIZE field and rewinds <paramref name="file"/> to its start.</summary>
    private static uint ReadGzipTrailerLength(FileStream file, string path)
    {
        Span<byte> magic = stackalloc byte[2];
        if (file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) < magic.Length || !magic.SequenceEqual(GzipMagic))
        {
            throw new DigitsException(path, "not a valid gzip stream: it does not start with the gzip magic 1f 8b");
        }
        if (file.Length < MinimumGzipLength)
        {
            throw new DigitsException(path, $"truncated gzip stream: {file.Length} bytes, a gzip file has at least {MinimumGzipLength}");
        }
        Span<byte> isize = stackalloc byte[4];
        file.Seek(-isize.Length, SeekOrigin.End);
        file.ReadExactly(isize);
        file.Seek(0, SeekOrigin.Begin);
        return BinaryPrimitives.ReadUInt32LittleEndian(isize);
    }
}
