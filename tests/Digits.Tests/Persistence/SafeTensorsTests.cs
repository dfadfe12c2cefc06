using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Digits.Persistence;

namespace Digits.Tests.Persistence;

public class SafeTensorsTests
{
    /// <summary>Floats whose bits a lossy path would change: NaN payloads, signed zeros, subnormals, infinities.</summary>
    private static readonly float[] AwkwardFloats =
    [
        0f, -0f, 1f, -1.5f, float.Epsilon, -float.Epsilon, 1e-40f, float.MaxValue, float.MinValue,
        float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7FC0_1234),
        BitConverter.Int32BitsToSingle(unchecked((int)0xFFA0_0001)), MathF.PI, 1f / 3f,
    ];

    private static SafeTensors Sample() => new(
        [
            TensorData.FromBytes("pixels", [0, 1, 127, 128, 255], 5),
            TensorData.FromFloats("conv1.weight", AwkwardFloats, 3, 5),
            TensorData.FromInt32s("counts", [int.MinValue, -1, 0, 1, int.MaxValue, 42], 2, 3),
            TensorData.FromFloats("scalar", [2.5f]),
            TensorData.FromFloats("empty", [], 0, 4),
        ],
        new Dictionary<string, string> { ["format"] = "test/1", ["note"] = "ünïcödé \"quoted\" <tag>" });

    [Fact]
    public void Round_trip_is_bit_exact_for_every_dtype_and_keeps_metadata()
    {
        var original = Sample();

        var read = SafeTensors.Read(original.ToBytes(), "sample.safetensors");

        Assert.Equal(original.Metadata, read.Metadata);
        Assert.Equal(original.Tensors.Select(t => t.Name).Order(), read.Tensors.Select(t => t.Name).Order());
        foreach (var t in original.Tensors)
        {
            var r = read.Find(t.Name)!;
            Assert.Equal(t.DType, r.DType);
            Assert.Equal(t.Shape, r.Shape);
            Assert.True(t.Bytes.SequenceEqual(r.Bytes), $"bytes of {t.Name} differ");
        }
        var bits = read.Find("conv1.weight")!.AsFloats().ToArray().Select(BitConverter.SingleToInt32Bits);
        Assert.Equal(AwkwardFloats.Select(BitConverter.SingleToInt32Bits), bits);
        Assert.Equal([int.MinValue, -1, 0, 1, int.MaxValue, 42], read.Find("counts")!.AsInt32s().ToArray());
    }

    [Fact]
    public void Round_trip_is_bit_exact_for_wide_dtypes()
    {
        var original = new SafeTensors(
        [
            TensorData.FromDoubles("d", [double.NaN, -0.0, double.Epsilon, Math.E], 4),
            TensorData.FromInt64s("shape", [-1, 784, long.MaxValue], 3),
        ]);

        var read = SafeTensors.Read(original.ToBytes(), "wide.safetensors");

        Assert.Equal(
            original.Find("d")!.AsDoubles().ToArray().Select(BitConverter.DoubleToInt64Bits),
            read.Find("d")!.AsDoubles().ToArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal([-1L, 784L, long.MaxValue], read.Find("shape")!.AsInt64s().ToArray());
        Assert.Empty(read.Metadata);
    }

    [Fact]
    public void Header_length_is_a_multiple_of_8_and_padded_with_spaces()
    {
        for (int nameLength = 1; nameLength <= 9; nameLength++)
        {
            byte[] file = new SafeTensors([TensorData.FromFloats(new string('w', nameLength), [1f], 1)]).ToBytes();

            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
            string header = Encoding.UTF8.GetString(file, 8, (int)n);

            Assert.Equal(0UL, n % 8);
            Assert.EndsWith("}", header.TrimEnd(' '));
            Assert.Equal(header.TrimEnd(' ').Length, header.TrimEnd().Length);
        }
    }

    /// <summary>Reads the layout with nothing but the spec and a JSON parser, not with our reader.</summary>
    [Fact]
    public void Byte_layout_matches_the_spec_when_parsed_independently()
    {
        byte[] file = Sample().ToBytes();

        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using var header = JsonDocument.Parse(file.AsMemory(8, (int)n));
        long dataStart = 8 + n;
        var spans = new List<(long Begin, long End, string Name)>();
        foreach (var p in header.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__")
            {
                Assert.Equal("test/1", p.Value.GetProperty("format").GetString());
                continue;
            }
            var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            spans.Add((offsets[0], offsets[1], p.Name));
            int size = p.Value.GetProperty("dtype").GetString() switch { "F32" or "I32" => 4, "U8" => 1, var d => throw new Xunit.Sdk.XunitException(d) };
            long count = p.Value.GetProperty("shape").EnumerateArray().Aggregate(1L, (a, e) => a * e.GetInt64());
            Assert.Equal(count * size, offsets[1] - offsets[0]);
            Assert.Equal(0, offsets[0] % size);
        }
        spans.Sort();
        Assert.Equal(0, spans[0].Begin);
        for (int i = 1; i < spans.Count; i++)
            Assert.Equal(spans[i - 1].End, spans[i].Begin);
        Assert.Equal(file.Length - dataStart, spans[^1].End);

        var weight = spans.Single(s => s.Name == "conv1.weight");
        for (int i = 0; i < AwkwardFloats.Length; i++)
        {
            int bits = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan((int)(dataStart + weight.Begin + 4 * i)));
            Assert.Equal(BitConverter.SingleToInt32Bits(AwkwardFloats[i]), bits);
        }
        var pixels = spans.Single(s => s.Name == "pixels");
        Assert.Equal(new byte[] { 0, 1, 127, 128, 255 }, file[(int)(dataStart + pixels.Begin)..(int)(dataStart + pixels.End)]);
    }

    [Fact]
    public void Reads_a_file_written_by_another_writer_in_any_key_order()
    {
        // As Python's safetensors might lay it out: no metadata, tensors listed out of offset order, no padding.
        byte[] file = SafeTensorsFiles.Craft(
            """{"b":{"dtype":"U8","shape":[2],"data_offsets":[8,10]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""",
            [0, 0, 128, 63, 0, 0, 0, 64, 7, 9]);

        var read = SafeTensors.Read(file, "python.safetensors");

        Assert.Equal(["a", "b"], read.Tensors.Select(t => t.Name));
        Assert.Equal([1f, 2f], read.Find("a")!.AsFloats().ToArray());
        Assert.Equal([7, 9], read.Find("b")!.Bytes.ToArray());
    }

    [Fact]
    public void Write_then_read_from_disk_gives_the_same_bytes()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var original = Sample();

        original.Write(path);

        Assert.Equal(original.ToBytes(), File.ReadAllBytes(path));
        Assert.Equal(original.Metadata, SafeTensors.Read(path).Metadata);
    }

    [Fact]
    public void Duplicate_tensor_names_are_refused_when_building_a_file()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new SafeTensors([TensorData.FromFloats("w", [1f], 1), TensorData.FromFloats("w", [2f], 1)]));
        Assert.Contains("'w' appears twice", e.Message);
    }

    [Fact]
    public void Null_metadata_values_are_refused_when_building_a_file()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new SafeTensors([], new Dictionary<string, string> { ["recipe"] = null! }));
        Assert.Contains("metadata 'recipe' is null", e.Message);
    }

    [Fact]
    public void A_tensor_whose_bytes_do_not_match_its_shape_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => TensorData.FromFloats("fc.weight", new float[5], 2, 3));
        Assert.Contains("tensor 'fc.weight': shape [2,3] of F32 needs 24 bytes, got 20", e.Message);
    }
}
