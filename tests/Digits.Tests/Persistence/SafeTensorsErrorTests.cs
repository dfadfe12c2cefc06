using System.Buffers.Binary;
using Digits.Persistence;

namespace Digits.Tests.Persistence;

/// <summary>Every broken file is a <see cref="DigitsException"/> naming the file and saying what is wrong.</summary>
public class SafeTensorsErrorTests
{
    private const string Name = "model.safetensors";

    private static DigitsException ReadFails(byte[] file)
    {
        var e = Assert.Throws<DigitsException>(() => SafeTensors.Read(file, Name));
        Assert.Equal(Name, e.Subject);
        Assert.StartsWith(Name + ": ", e.Message);
        return e;
    }

    private static byte[] Tensor(string entry, int dataBytes) =>
        SafeTensorsFiles.Craft("{" + entry + "}", new byte[dataBytes]);

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_truncated()
    {
        var e = ReadFails([1, 2, 3, 4, 5]);
        Assert.Equal("truncated, file has 5 bytes, too short for the 8-byte header length", e.Problem);
    }

    [Fact]
    public void A_header_length_beyond_the_end_of_the_file_is_truncated()
    {
        byte[] file = new byte[40];
        BinaryPrimitives.WriteUInt64LittleEndian(file, 200);
        var e = ReadFails(file);
        Assert.Equal("truncated, header says 208 bytes, file has 40 bytes", e.Problem);
    }

    [Fact]
    public void A_data_section_cut_short_is_truncated_with_readable_sizes()
    {
        // The contract's own example: a 1000-byte file whose header describes 1.2 MB of weights.
        string entry = "\"w\":{\"dtype\":\"U8\",\"shape\":[1200000],\"data_offsets\":[0,1200000]}";
        byte[] file = SafeTensorsFiles.Craft("{" + entry + "}".PadRight(1000 - 8 - entry.Length - 1 - 100), new byte[100]);
        Assert.Equal(1000, file.Length);

        var e = ReadFails(file);

        Assert.Equal("model.safetensors: truncated, header says 1.2 MB, file has 1000 bytes", e.Message);
    }

    [Fact]
    public void A_wild_header_length_is_not_a_safetensors_file()
    {
        var e = ReadFails("PK\x03\x04garbage-not-a-model"u8.ToArray());
        Assert.Contains("over the 100 MB limit (not a safetensors file?)", e.Problem);
    }

    [Fact]
    public void Bad_header_json_says_so()
    {
        var e = ReadFails(SafeTensorsFiles.Craft("{\"w\": {\"dtype\": \"F32\",", []));
        Assert.StartsWith("bad header JSON: ", e.Problem);
    }

    [Fact]
    public void A_header_that_is_not_an_object_is_bad_json()
    {
        var e = ReadFails(SafeTensorsFiles.Craft("[1, 2]", []));
        Assert.Equal("bad header JSON: expected an object, found an array", e.Problem);
    }

    [Fact]
    public void Metadata_values_must_be_strings()
    {
        var e = ReadFails(SafeTensorsFiles.Craft("""{"__metadata__":{"seed":42}}""", []));
        Assert.Equal("bad header JSON: __metadata__ value 'seed' is a number, expected a string", e.Problem);
    }

    [Fact]
    public void An_unknown_dtype_is_named()
    {
        var e = ReadFails(Tensor("\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}", 4));
        Assert.Equal("tensor 'w' has dtype 'F16', this build reads F32, F64, I32, I64 and U8", e.Problem);
    }

    [Fact]
    public void A_shape_that_disagrees_with_the_offsets_is_named()
    {
        var e = ReadFails(Tensor("\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":[32,1,3,3],\"data_offsets\":[0,1000]}", 1000));
        Assert.Equal("tensor 'conv1.weight': shape [32,1,3,3] needs 1152 bytes, offsets give 1000", e.Problem);
    }

    [Fact]
    public void A_shape_too_large_for_any_file_is_a_mismatch_not_an_overflow()
    {
        var e = ReadFails(Tensor("\"w\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}", 8));
        Assert.Equal("tensor 'w': shape [2147483647,2147483647,2147483647] needs more than 2^63 bytes, offsets give 8", e.Problem);
    }

    [Fact]
    public void Offsets_far_beyond_the_file_are_truncated()
    {
        var e = ReadFails(Tensor("\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[9223372036854775806,9223372036854775807]}", 0));
        Assert.StartsWith("truncated, header says 9223372036.9 GB, file has ", e.Problem);
    }

    [Fact]
    public void A_negative_dimension_is_bad_json()
    {
        var e = ReadFails(Tensor("\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}", 4));
        Assert.Equal("bad header JSON: tensor 'w' shape holds -1, expected non-negative integers", e.Problem);
    }

    [Fact]
    public void Missing_offsets_are_bad_json()
    {
        var e = ReadFails(Tensor("\"w\":{\"dtype\":\"F32\",\"shape\":[1]}", 4));
        Assert.Equal("bad header JSON: tensor 'w' has no data_offsets array", e.Problem);
    }

    [Fact]
    public void Offsets_that_end_before_they_begin_are_refused()
    {
        var e = ReadFails(Tensor("\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}", 4));
        Assert.Equal("tensor 'w': data_offsets [4, 0] end before they begin", e.Problem);
    }

    [Fact]
    public void Overlapping_tensors_are_named()
    {
        var e = ReadFails(Tensor(
            "\"a\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[0,400]}," +
            "\"b\":{\"dtype\":\"F32\",\"shape\":[100],\"data_offsets\":[300,700]}", 700));
        Assert.Equal("tensors 'a' [0, 400) and 'b' [300, 700) overlap", e.Problem);
    }

    [Fact]
    public void A_gap_between_tensors_is_refused()
    {
        var e = ReadFails(Tensor(
            "\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}," +
            "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[8,12]}", 12));
        Assert.Equal("gap of 4 bytes before tensor 'b' at data offset 8; tensors must be contiguous", e.Problem);
    }

    [Fact]
    public void Bytes_after_the_last_tensor_are_refused()
    {
        var e = ReadFails(Tensor("\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}", 6));
        Assert.Equal("2 bytes after the last tensor, which the header does not describe", e.Problem);
    }

    [Fact]
    public void A_tensor_listed_twice_is_bad_json()
    {
        var e = ReadFails(Tensor(
            "\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}," +
            "\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,8]}", 8));
        Assert.Equal("bad header JSON: 'a' appears twice", e.Problem);
    }

    [Fact]
    public void A_missing_file_is_named_by_its_path()
    {
        using var folder = new TempFolder();
        string path = folder.File("absent.safetensors");

        var e = Assert.Throws<DigitsException>(() => SafeTensors.Read(path));

        Assert.Equal(path, e.Subject);
        Assert.Equal("no such file", e.Problem);
    }

    [Fact]
    public void A_truncated_file_on_disk_is_named_by_its_path()
    {
        using var folder = new TempFolder();
        string path = folder.File("cut.safetensors");
        byte[] whole = new SafeTensors([TensorData.FromFloats("w", new float[300], 300)]).ToBytes();
        File.WriteAllBytes(path, whole[..^100]);

        var e = Assert.Throws<DigitsException>(() => SafeTensors.Read(path));

        Assert.Equal($"{path}: truncated, header says {whole.Length} bytes, file has {whole.Length - 100} bytes", e.Message);
    }
}
