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
        stream.Write(Header(array));
        stream.Write(array.Data);
    }

    /// <summary>The bytes before the values: magic 0x0000080N (N = rank), then each dimension as a big-endian int32.</summary>
    public static byte[] Header(IdxArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var header = new byte[4 + 4 * array.Rank];
        header[2] = IdxReader.UnsignedByteType;
        header[3] = (byte)array.Rank;
        for (int i = 0; i < array.Rank; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i, 4), array.Shape[i]);
        return header;
    }
}
