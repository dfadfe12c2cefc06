using System.Buffers.Binary;
using System.Text;

namespace Digits.Tests.Persistence;

/// <summary>Hand-made safetensors files, built from raw header text so tests can break them on purpose.</summary>
internal static class SafeTensorsFiles
{
    /// <summary>8-byte little-endian header length, the header text unpadded, then <paramref name="data"/>.</summary>
    public static byte[] Craft(string headerJson, ReadOnlySpan<byte> data)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        byte[] file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file.AsSpan(8 + header.Length));
        return file;
    }
}
