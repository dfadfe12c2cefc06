using Digits.Persistence.Onnx;

namespace Digits.Tests.Persistence;

/// <summary>Byte sequences from the protobuf encoding guide (https://protobuf.dev/programming-guides/encoding/).</summary>
public class ProtobufWriterTests
{
    private static byte[] Written(Action<ProtobufWriter> write)
    {
        var w = new ProtobufWriter();
        write(w);
        return w.WrittenSpan.ToArray();
    }

    [Fact]
    public void Varint_150_in_field_1_is_08_96_01()
    {
        Assert.Equal([0x08, 0x96, 0x01], Written(w => w.WriteInt64(1, 150)));
    }

    [Fact]
    public void Negative_int64_takes_ten_bytes()
    {
        Assert.Equal([0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], Written(w => w.WriteInt64(3, -1)));
    }

    [Fact]
    public void String_is_length_delimited_utf8()
    {
        Assert.Equal([0x12, 0x07, (byte)'t', (byte)'e', (byte)'s', (byte)'t', (byte)'i', (byte)'n', (byte)'g'], Written(w => w.WriteString(2, "testing")));
    }

    [Fact]
    public void Float_is_fixed32_little_endian()
    {
        Assert.Equal([0x15, 0x00, 0x00, 0x80, 0x3F], Written(w => w.WriteFloat(2, 1f)));
    }

    [Fact]
    public void Nested_message_is_prefixed_by_its_length()
    {
        Assert.Equal([0x1A, 0x03, 0x08, 0x96, 0x01], Written(w => w.WriteMessage(3, m => m.WriteInt64(1, 150))));
    }

    [Fact]
    public void Field_numbers_above_15_take_a_two_byte_tag()
    {
        Assert.Equal([0xA0, 0x01, 0x07], Written(w => w.WriteInt64(20, 7)));
    }
}
