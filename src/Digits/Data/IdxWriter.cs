using System.Buffers.Binary;
using System.IO.Compression;

namespace Digits.Data;

/// <summary>
/// Writes unsigned-byte IDX files, raw or gzipped. Writes go to a temp file beside the target, which is renamed into
/// place only when complete, so a crash never leaves a half-written dataset.
/// </summary>
public static class IdxWriter
{
    public static void Write(string path, IdxArray array, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(array);
        AtomicFile.Write(path, stream =>
        {
            if (gzip)
            {
                using var z = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
                Write(z, array);
            }
            else
            {
                Write(stream, array);
            }
        });
    }

    public static void Write(Stream stream, IdxArray array)
    {
        Span<byte> header = stackalloc byte[4 + 4 * array.Rank];
        header[0] = 0;
        header[1] = 0;
        header[2] = IdxReader.UnsignedByteType;
        header[3] = (byte)array.Rank;
        for (int i = 0; i < array.Rank; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.Slice(4 + 4 * i, 4), array.Shape[i]);
        stream.Write(header);
        stream.Write(array.Data);
    }
}
