using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Digits.Persistence.Onnx;

/// <summary>
/// Writes the Protocol Buffers wire format (https://protobuf.dev/programming-guides/encoding/): just the three
/// wire types ONNX models need, so the library carries no protobuf package.
/// <list type="bullet">
/// <item>VARINT (0): int32, int64 and enums, 7 bits per byte, least significant group first; negative values
/// are sign-extended to 64 bits and take 10 bytes, as for protobuf's <c>int64</c> (not <c>sint64</c>).</item>
/// <item>LEN (2): strings, bytes and nested messages, prefixed by their length as a varint.</item>
/// <item>I32 (5): <c>float</c>, four little-endian bytes.</item>
/// </list>
/// Each field starts with the tag <c>(field_number &lt;&lt; 3) | wire_type</c>. Nested messages are written into their
/// own <see cref="ProtobufWriter"/> first, because a message's length precedes its content.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private readonly ArrayBufferWriter<byte> buffer = new();

    /// <summary>The bytes written so far: a complete message.</summary>
    public ReadOnlySpan<byte> WrittenSpan => buffer.WrittenSpan;

    public void WriteInt64(int field, long value)
    {
        WriteTag(field, WireVarint);
        WriteVarint(unchecked((ulong)value));
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, WireFixed32);
        BinaryPrimitives.WriteSingleLittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireLengthDelimited);
        WriteVarint((ulong)value.Length);
        buffer.Write(value);
    }

    /// <summary>Writes a nested message, composed by <paramref name="write"/>, as a length-delimited field.</summary>
    public void WriteMessage(int field, Action<ProtobufWriter> write)
    {
        var nested = new ProtobufWriter();
        write(nested);
        WriteBytes(field, nested.WrittenSpan);
    }

    private void WriteTag(int field, int wireType)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(field);
        WriteVarint(((ulong)field << 3) | (uint)wireType);
    }

    private void WriteVarint(ulong value)
    {
        Span<byte> span = buffer.GetSpan(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        buffer.Advance(i);
    }
}
