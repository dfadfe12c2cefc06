using Digits.Persistence;

namespace Digits.Tests.Persistence;

public class ModelFileTests
{
    private static readonly float[] Weight = Enumerable.Range(0, 10 * 64).Select(i => MathF.Sin(i) * 1e-3f).ToArray();
    private static readonly float[] Bias = Enumerable.Range(0, 10).Select(i => i / 7f).ToArray();

    private static string SaveSample(TempFolder folder)
    {
        string path = folder.File("model.safetensors");
        ModelFile.Save(path, ModelMetadataTests.Cnn(),
            [TensorData.FromFloats("fc.weight", Weight, 10, 64), TensorData.FromFloats("fc.bias", Bias, 10)]);
        return path;
    }

    [Fact]
    public void Saved_model_loads_with_the_same_metadata_and_bit_identical_weights()
    {
        using var folder = new TempFolder();
        string path = SaveSample(folder);

        var model = ModelFile.Load(path);
        var (metadata, file) = model;

        Assert.Equal(ModelMetadataTests.Cnn(), metadata);
        Assert.Equal(2, file.Tensors.Count);
        Assert.Equal(Weight.Select(BitConverter.SingleToInt32Bits), model.RequireFloats("fc.weight", 10, 64).Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Bias, model.RequireFloats("fc.bias", 10));
    }

    [Fact]
    public void Loads_from_memory_under_the_given_name()
    {
        using var folder = new TempFolder();
        byte[] bytes = File.ReadAllBytes(SaveSample(folder));

        var model = ModelFile.Load(bytes, "embedded:digits.safetensors");

        Assert.Equal("embedded:digits.safetensors", model.Name);
        var e = Assert.Throws<DigitsException>(() => model.RequireFloats("fc.scale", 10));
        Assert.Equal("embedded:digits.safetensors: missing tensor 'fc.scale'", e.Message);
    }

    [Fact]
    public void A_wrong_shape_names_the_file_tensor_and_both_shapes()
    {
        using var folder = new TempFolder();
        var model = ModelFile.Load(SaveSample(folder));

        var e = Assert.Throws<DigitsException>(() => model.RequireFloats("fc.weight", 10, 128));

        Assert.Equal($"{model.Name}: tensor 'fc.weight' has shape [10,64], expected [10,128]", e.Message);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        using var folder = new TempFolder();
        var model = ModelFile.Load(SaveSample(folder));

        var e = Assert.Throws<DigitsException>(() => model.RequireFloats("conv1.bias", 32));

        Assert.Equal("missing tensor 'conv1.bias'", e.Problem);
    }

    [Fact]
    public void A_wildcard_dimension_matches_any_size_but_not_another_rank()
    {
        using var folder = new TempFolder();
        var model = ModelFile.Load(SaveSample(folder));

        Assert.Equal(640, model.Require("fc.weight", TensorDType.F32, -1, 64).ElementCount);
        var e = Assert.Throws<DigitsException>(() => model.Require("fc.weight", TensorDType.F32, -1));
        Assert.Equal("tensor 'fc.weight' has shape [10,64], expected [*]", e.Problem);
    }

    [Fact]
    public void A_wrong_dtype_is_named()
    {
        using var folder = new TempFolder();
        var model = ModelFile.Load(SaveSample(folder));

        var e = Assert.Throws<DigitsException>(() => model.Require("fc.bias", TensorDType.I32, 10));

        Assert.Equal("tensor 'fc.bias' is F32, expected I32", e.Problem);
    }

    [Fact]
    public void A_plain_safetensors_file_is_not_a_digits_model()
    {
        using var folder = new TempFolder();
        string path = folder.File("plain.safetensors");
        new SafeTensors([TensorData.FromFloats("w", [1f], 1)]).Write(path);

        var e = Assert.Throws<DigitsException>(() => ModelFile.Load(path));

        Assert.Equal($"{path}: not a Digits model (no format in __metadata__)", e.Message);
    }
}
