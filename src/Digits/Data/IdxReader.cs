using System.Buffers.Binary;
using System.IO.Compression;

namespace Digits.Data;

/// <summary>
/// Reads IDX files (http://yann.lecun.com/exdb/mnist/), raw or gzipped, detected from the first two bytes rather than the name.
/// Only the unsigned-byte element type (0x08) is supported, since that is what digit datasets use.
/// Every check names the file, what was expected and what was found.
/// </summary>
public static class IdxReader
{
    /// <summary>The IDX code for unsigned bytes, the third byte of the magic number.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>Reads a file; <paramref name="expectedRank"/> (e.g. 3 for images, 1 for labels) is checked when given.</summary>
    public static IdxArray Read(string path, int? expectedRank = null)
    {
        string name = Path.GetFileName(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DigitsException(path, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message, e);
        }
        using (file)
            return Read(file, name, expectedRank);
    }

    /// <summary>Reads from a stream; <paramref name="name"/> is used in error messages.</summary>
    public static IdxArray Read(Stream stream, string name, int? expectedRank = null)
    {
        Stream input = stream;
        GZipStream? gzip = null;
        if (stream.CanSeek)
        {
            Span<byte> sig = stackalloc byte[2];
            int got = ReadFully(stream, sig, name);
            stream.Seek(-got, SeekOrigin.Current);
            if (got == 2 && sig[0] == 0x1f && sig[1] == 0x8b)
                input = gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        }
        try
        {
            return ReadIdx(input, name, expectedRank);
        }
        finally
        {
            gzip?.Dispose();
        }
    }

    private static IdxArray ReadIdx(Stream input, string name, int? expectedRank)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = ReadFully(input, magic, name);
        if (got < 4)
            throw new DigitsException(name, $"truncated, expected a 4-byte IDX header, found {got} bytes");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DigitsException(name, $"not an IDX file, expected magic 0x0000080N, found 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8}");
        if (magic[2] != UnsignedByteType)
            throw new DigitsException(name, $"unsupported IDX element type 0x{magic[2]:X2}, expected 0x08 (unsigned byte)");
        int rank = magic[3];
        if (rank is < 1 or > 4)
            throw new DigitsException(name, $"unsupported IDX rank {rank}, expected 1 to 4");
        if (expectedRank is int r && r != rank)
            throw new DigitsException(name, $"expected an IDX array of rank {r} ({(r == 1 ? "labels" : "images")}), found rank {rank}");

        Span<byte> dims = stackalloc byte[4 * rank];
        got = ReadFully(input, dims, name);
        if (got < dims.Length)
            throw new DigitsException(name, $"truncated, expected {dims.Length} bytes of dimensions, found {got}");
        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dims.Slice(4 * i, 4));
            if (d > int.MaxValue)
                throw new DigitsException(name, $"dimension {i} is {d}, too large");
            shape[i] = (int)d;
            // Saturates just past the limit, so that four dimensions of 2^31 cannot wrap around to a small count.
            count = Math.Min(count * d, Array.MaxLength + 1L);
        }
        if (count > Array.MaxLength)
            throw new DigitsException(name, $"holds {count} values, more than one array can hold");

        string what = rank >= 3 ? "pixel bytes" : rank == 1 ? "label bytes" : "value bytes";
        byte[] data = ReadData(input, count, name, what);
        Span<byte> probe = stackalloc byte[1];
        if (ReadFully(input, probe, name) != 0)
            throw new DigitsException(name, $"has data after the {count} {what} its header announces");
        return new IdxArray(shape, data);
    }

    /// <summary>A stream of unknown length (gzip) is read into this many bytes first, however many its header announces.</summary>
    private const int FirstBufferBytes = 1 << 20;

    /// <summary>
    /// Once a stream of unknown length has filled <see cref="FirstBufferBytes"/>, its buffer grows to the announced count
    /// or to this, whichever is less (or to twice what arrived, if that is more). So a file that really holds 1 MB may
    /// make the reader allocate 61 MB before the rest arrives: within the bound the fuzzer holds every file to (4× its
    /// content plus 64 MB, docs/reliability.md), with room for the gzip stream's own buffers. It lets MNIST's 47 MB of
    /// training images arrive in the array that keeps them: doubling from 1 MB (1, 2, ... 32 MB, each copied into a
    /// fresh array) took the four MNIST files' load from 127 to 164 ms.
    /// </summary>
    private const int SpeculativeBytes = 60_000_000;

    /// <summary>
    /// The <paramref name="count"/> values a header announces, allocated as they arrive rather than all at once, so
    /// that a 50-byte file claiming two billion values is refused as truncated without allocating 2 GB: a seekable
    /// stream is checked against its length first, and a gzip stream is read into 1 MB first, then into a buffer of
    /// up to <see cref="SpeculativeBytes"/> that doubles from there.
    /// </summary>
    private static byte[] ReadData(Stream input, long count, string name, string what)
    {
        if (input.CanSeek && input.Length - input.Position < count)
            throw new DigitsException(name, $"truncated, expected {count} {what}, found {input.Length - input.Position}");
        var data = new byte[input.CanSeek ? count : Math.Min(count, FirstBufferBytes)];
        long got = 0;
        while (true)
        {
            got += ReadFully(input, data.AsSpan((int)got), name);
            if (got < data.Length || data.Length == count)
                break;
            Array.Resize(ref data, (int)Math.Min(count, Math.Max(2L * data.Length, SpeculativeBytes)));
        }
        if (got < count)
            throw new DigitsException(name, $"truncated, expected {count} {what}, found {got}");
        return data;
    }

    private static int ReadFully(Stream s, Span<byte> buffer, string name)
    {
        try
        {
            return s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DigitsException(name, "not a valid gzip stream (" + e.Message.TrimEnd('.') + ")", e);
        }
    }
}
