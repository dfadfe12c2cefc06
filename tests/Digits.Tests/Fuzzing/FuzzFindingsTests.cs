using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Digits.Data;
using Digits.Fuzzing;
using Digits.Neural;
using Digits.Persistence;
using Digits.Tests.Persistence;

namespace Digits.Tests.Fuzzing;

/// <summary>One regression test for each bug the mutation fuzzer found, on a file made to show it.</summary>
public class FuzzFindingsTests
{
    private const string Name = "found.safetensors";

    private static byte[] IdxHeader(params uint[] dimensions)
    {
        var file = new byte[4 + 4 * dimensions.Length + 16];
        BinaryPrimitives.WriteUInt32BigEndian(file, 0x0800u | (uint)dimensions.Length);
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(4 + 4 * i), dimensions[i]);
        return file;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(content);
        return compressed.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_idx_file_announcing_two_billion_values_is_truncated_without_allocating_them(bool gzipped)
    {
        byte[] file = IdxHeader(2_000_000_000u);
        if (gzipped)
            file = Gzip(file);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DigitsException>(() => IdxReader.Read(new MemoryStream(file), "labels.idx"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("truncated, expected 2000000000 label bytes, found 16", error.Problem);
        Assert.True(allocated < 8_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Idx_dimensions_whose_product_wraps_around_are_too_large()
    {
        var error = Assert.Throws<DigitsException>(() => IdxReader.Read(new MemoryStream(IdxHeader(65536, 65536, 65536, 65536)), "images.idx"));

        Assert.Contains("more than one array can hold", error.Problem);
    }

    [Fact]
    public void A_header_that_is_not_utf8_is_bad_json()
    {
        byte[] file = SafeTensorsFiles.Craft("{\"w\xff\":{}}", []);
        file[10] = 0xFF;

        var error = Assert.Throws<DigitsException>(() => SafeTensors.Read(file, Name));

        Assert.Equal("bad header JSON: not valid UTF-8", error.Problem);
    }

    /// <summary>The seed CNN with one tensor's values replaced.</summary>
    private static byte[] CnnWithTensor(string tensor, float value)
    {
        var parsed = SafeTensors.Read(ModelSeeds.All()[3], Name);
        var tensors = parsed.Tensors.Select(t => t.Name == tensor
            ? TensorData.FromFloats(t.Name, Enumerable.Repeat(value, (int)t.ElementCount).ToArray(), [.. t.Shape])
            : t);
        return new SafeTensors(tensors, parsed.Metadata).ToBytes();
    }

    [Fact]
    public void A_negative_batchnorm_variance_is_refused_at_load()
    {
        var error = Assert.Throws<DigitsException>(() => ModelLoader.FromModelFile(ModelFile.Load(CnnWithTensor("1.running_var", -0.25f), Name)));

        Assert.Equal("layer 1 (BatchNorm2d): running variance -0.25 is negative", error.Problem);
    }

    [Fact]
    public void A_cnn_whose_outputs_overflow_refuses_to_predict_rather_than_answer_NaN()
    {
        var model = ModelLoader.FromModelFile(ModelFile.Load(CnnWithTensor("0.weight", -3e38f), Name));

        var error = Assert.Throws<DigitsException>(() => model.Predict(new byte[784], 1, new float[10]));

        Assert.Equal("the network's outputs overflow to infinity or NaN; its weights are corrupt", error.Problem);
    }

    [Fact]
    public void A_cnn_file_for_another_input_size_is_refused()
    {
        var parsed = SafeTensors.Read(ModelSeeds.All()[3], Name);
        var architecture = JsonNode.Parse(parsed.Metadata["architecture"])!;
        architecture["input"] = new JsonArray(1, 28, 29);
        byte[] file = new SafeTensors(parsed.Tensors, new Dictionary<string, string>(parsed.Metadata) { ["architecture"] = architecture.ToJsonString() }).ToBytes();

        var error = Assert.Throws<DigitsException>(() => ModelLoader.FromModelFile(ModelFile.Load(file, Name)));

        Assert.Equal($"architecture input is [1, 28, 29], but a digit model's is {CnnArchitecture.MnistInput}", error.Problem);
    }
}
