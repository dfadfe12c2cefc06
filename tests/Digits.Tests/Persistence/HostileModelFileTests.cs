using System.Text.Json.Nodes;
using Digits.Classical;
using Digits.Fuzzing;
using Digits.Neural;
using Digits.Persistence;

namespace Digits.Tests.Persistence;

/// <summary>
/// Files built to exhaust memory or break size arithmetic: each is refused with a <see cref="DigitsException"/>
/// naming the file, before anything large is allocated. Loading any model file allocates at most 4× its size plus
/// 64 MB (<see cref="ModelMemoryBudget.LoadBytes"/>), measured on the loading thread.
/// </summary>
public class HostileModelFileTests
{
    private const string Name = "hostile.safetensors";

    /// <summary>Loads <paramref name="file"/> as the CLI does, expecting a refusal within the memory bound.</summary>
    private static DigitsException Refused(byte[] file)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DigitsException>(() => ModelLoader.FromModelFile(ModelFile.Load(file, Name)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Name, error.Subject);
        Assert.True(allocated <= ModelMemoryBudget.LoadBytes(file.Length),
            $"allocated {allocated / 1e6:0.0} MB for a {file.Length}-byte file, over the bound of {ModelMemoryBudget.LoadBytes(file.Length) / 1e6:0.0} MB");
        return error;
    }

    /// <summary>A seed model (ModelSeeds order: logreg, linear-svm, svm, cnn, ensemble) with one metadata value replaced.</summary>
    private static byte[] WithMetadata(int seed, string key, string value)
    {
        var parsed = SafeTensors.Read(ModelSeeds.All()[seed], Name);
        var metadata = new Dictionary<string, string>(parsed.Metadata) { [key] = value };
        return new SafeTensors(parsed.Tensors, metadata).ToBytes();
    }

    private static byte[] Cnn => ModelSeeds.All()[3];

    /// <summary>The seed CNN's architecture with its last layer's output count changed.</summary>
    private static string CnnArchitectureWithLinearOut(int outputs)
    {
        var architecture = JsonNode.Parse(SafeTensors.Read(Cnn, Name).Metadata["architecture"])!;
        architecture["layers"]![5]!["out"] = outputs;
        return architecture.ToJsonString();
    }

    [Fact]
    public void A_declared_layer_wider_than_its_tensor_is_refused_before_the_network_is_built()
    {
        // 2,000,000 × 32 floats is 256 MB: far more than this 2 kB file could describe.
        var error = Refused(WithMetadata(3, "architecture", CnnArchitectureWithLinearOut(2_000_000)));

        Assert.Equal("architecture declares a Linear layer whose 'weight' is [2000000,32], but tensor '5.weight' has shape [10,32]", error.Problem);
    }

    [Fact]
    public void A_declared_layer_too_large_for_any_array_is_refused()
    {
        var error = Refused(WithMetadata(3, "architecture", CnnArchitectureWithLinearOut(int.MaxValue)));

        Assert.StartsWith("architecture: layer 5 (Linear): the weight would hold 68719476704 values", error.Problem);
    }

    [Fact]
    public void A_network_whose_activations_outgrow_the_file_is_refused_with_its_size()
    {
        // 40,000 one-pixel filters: 160 kB of weights, but 125 MB of activations for a single image.
        const int filters = 40_000;
        var architecture = new CnnArchitecture(CnnArchitecture.MnistInput,
            [new Conv2dSpec(filters, 1), new ReluSpec(), new GlobalAvgPoolSpec(), new LinearSpec(10)]);
        var network = new Network(architecture.Input, architecture.Layers, 1, 1, trainable: false);
        var model = new CnnClassifier(architecture, network.Parameters.Values, network.Parameters.Buffers, "cnn", new Preprocessing(false));
        byte[] file = new SafeTensors(model.Tensors(), WithMetadataDictionary(architecture.ToJson())).ToBytes();

        var error = Refused(file);

        Assert.Matches(@"^declared network needs \d+(\.\d)? MB, more than a model file of \d+(\.\d)? MB can describe$", error.Problem);
    }

    private static Dictionary<string, string> WithMetadataDictionary(string architecture) =>
        new(SafeTensors.Read(Cnn, Name).Metadata) { ["architecture"] = architecture };

    [Theory]
    [InlineData("[1,100000,100000]")]
    [InlineData("[2147483647,2147483647,2147483647]")]
    [InlineData("[4611686018427387904,4]")]
    [InlineData("[-1,10]")]
    [InlineData("[1,1,1,1,1,1,1,1,1,1,1,1]")]
    public void Huge_negative_or_overflowing_shapes_in_the_header_are_refused(string shape)
    {
        byte[] file = SafeTensorsFiles.Craft($$$"""{"w":{"dtype":"F32","shape":{{{shape}}},"data_offsets":[0,40]}}""", new byte[40]);

        Refused(file);
    }

    [Theory]
    [InlineData("[0,40]", "[40,80]", 40)]       // the second tensor past the end
    [InlineData("[0,40]", "[20,60]", 60)]       // overlapping
    [InlineData("[0,40]", "[0,40]", 40)]        // the same bytes twice
    [InlineData("[0,40]", "[9223372036854775800,9223372036854775807]", 40)]
    public void Data_offsets_past_the_end_or_overlapping_are_refused(string first, string second, int dataBytes)
    {
        byte[] file = SafeTensorsFiles.Craft(
            $$$"""{"a":{"dtype":"U8","shape":[40],"data_offsets":{{{first}}}},"b":{"dtype":"U8","shape":[40],"data_offsets":{{{second}}}}}""",
            new byte[dataBytes]);

        Refused(file);
    }

    [Theory]
    [InlineData(0, ModelKind.Cnn)]
    [InlineData(0, ModelKind.Svm)]
    [InlineData(0, ModelKind.Ensemble)]
    [InlineData(0, ModelKind.LinearSvm)]
    [InlineData(3, ModelKind.LogReg)]
    [InlineData(3, ModelKind.Ensemble)]
    [InlineData(4, ModelKind.Cnn)]
    [InlineData(2, ModelKind.LinearSvm)]
    public void A_kind_that_does_not_match_the_tensors_is_refused_naming_the_file(int seed, string kind)
    {
        Refused(WithMetadata(seed, "kind", kind));
    }

    [Fact]
    public void An_ensemble_architecture_that_is_not_an_object_is_refused()
    {
        var error = Refused(WithMetadata(4, "architecture", "[1, 2]"));

        Assert.Equal("architecture has no \"members\" array", error.Problem);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Weights_holding_NaN_or_infinity_are_refused(float bad)
    {
        var weights = new float[10 * PixelFeatures.Count];
        weights[1234] = bad;
        var model = new SoftmaxRegression(weights, new float[10], deskew: false);
        byte[] file = new SafeTensors(model.Tensors(), SafeTensors.Read(ModelSeeds.All()[0], Name).Metadata).ToBytes();

        var error = Refused(file);

        Assert.Equal("tensor 'weight' holds NaN or infinite values", error.Problem);
    }

    [Fact]
    public void Every_kind_loads_within_four_times_its_size_plus_64_MB_and_predicts()
    {
        foreach (byte[] file in ModelSeeds.All())
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var model = ModelLoader.FromModelFile(ModelFile.Load(file, Name));
            var probabilities = new float[10];
            model.Predict(new byte[784], 1, probabilities);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.InRange(allocated, 0, ModelMemoryBudget.LoadBytes(file.Length));
            Assert.Equal(1f, probabilities.Sum(), 3);
        }
    }
}
