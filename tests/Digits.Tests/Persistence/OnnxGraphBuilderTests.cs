using Digits.Persistence;
using Digits.Persistence.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Digits.Tests.Persistence;

/// <summary>
/// Exported graphs run in ONNX Runtime and agree with <see cref="ReferenceOps"/> to 1e-4: the builder's bytes are a
/// valid model, and each operator means what the neural engine's layer means.
/// </summary>
public class OnnxGraphBuilderTests
{
    private const float Tolerance = 1e-4f;

    private static RefTensor Run(byte[] model, RefTensor input, string inputName = "input")
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var tensor = new DenseTensor<float>(input.Data, input.Shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)]);
        var output = results.First().AsTensor<float>();
        return new RefTensor(output.ToArray(), output.Dimensions.ToArray());
    }

    private static void AssertClose(RefTensor expected, RefTensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float worst = 0;
        for (int i = 0; i < expected.Data.Length; i++)
            worst = Math.Max(worst, Math.Abs(expected.Data[i] - actual.Data[i]));
        Assert.True(worst <= Tolerance, $"max abs difference {worst:g3} exceeds {Tolerance:g3}");
    }

    private static string Weight(OnnxGraphBuilder g, string name, RefTensor t) => g.Initializer(name, t.Data, t.Shape);

    [Fact]
    public void Onnx_runtime_loads_a_built_model_and_reads_its_header()
    {
        var g = new OnnxGraphBuilder("relu-only");
        g.Output(g.Relu(g.Input("input", -1, 4)), "output", -1, 4);

        using var session = new InferenceSession(g.Build());

        Assert.Equal("digits", session.ModelMetadata.ProducerName);
        Assert.Equal("relu-only", session.ModelMetadata.GraphName);
        Assert.Equal(-1, session.InputMetadata["input"].Dimensions[0]);
        Assert.Equal("N", session.InputMetadata["input"].SymbolicDimensions[0]);
        Assert.Equal([-1, 4], session.OutputMetadata["output"].Dimensions);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 0)]
    public void Conv_matches_a_naive_convolution(int stride, int pad)
    {
        var rng = new Random(stride * 10 + pad);
        var x = RefTensor.Random(rng, 2, 3, 9, 8);
        var w = RefTensor.Random(rng, 4, 3, 3, 3);
        var b = RefTensor.Random(rng, 4);
        var g = new OnnxGraphBuilder("conv");
        string y = g.Conv(g.Input("input", -1, 3, 9, 8), Weight(g, "w", w), Weight(g, "b", b),
            kernel: [3, 3], strides: [stride, stride], pads: [pad, pad, pad, pad]);
        var expected = ReferenceOps.Conv2d(x, w, b, stride, pad);
        g.Output(y, "output", [-1, .. expected.Shape[1..]]);

        AssertClose(expected, Run(g.Build(), x));
    }

    [Fact]
    public void Conv_without_bias_and_with_default_strides_matches()
    {
        var rng = new Random(5);
        var x = RefTensor.Random(rng, 1, 2, 6, 6);
        var w = RefTensor.Random(rng, 3, 2, 5, 5);
        var g = new OnnxGraphBuilder("conv-no-bias");
        g.Output(g.Conv(g.Input("input", 1, 2, 6, 6), Weight(g, "w", w), null, kernel: [5, 5]), "output", 1, 3, 2, 2);

        AssertClose(ReferenceOps.Conv2d(x, w, null, 1, 0), Run(g.Build(), x));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pooling_2x2_matches_a_naive_pool(bool max)
    {
        var x = RefTensor.Random(new Random(11), 2, 3, 8, 6);
        var g = new OnnxGraphBuilder("pool");
        string input = g.Input("input", -1, 3, 8, 6);
        string y = max ? g.MaxPool(input, kernel: [2, 2], strides: [2, 2]) : g.AveragePool(input, kernel: [2, 2], strides: [2, 2]);
        g.Output(y, "output", -1, 3, 4, 3);

        AssertClose(ReferenceOps.Pool2d(x, 2, 2, 0, max), Run(g.Build(), x));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Padded_3x3_pooling_ignores_padding_cells(bool max)
    {
        var x = RefTensor.Random(new Random(12), 1, 2, 5, 5);
        var g = new OnnxGraphBuilder("pool-padded");
        string input = g.Input("input", 1, 2, 5, 5);
        string y = max
            ? g.MaxPool(input, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1])
            : g.AveragePool(input, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1]);
        g.Output(y, "output", 1, 2, 3, 3);

        AssertClose(ReferenceOps.Pool2d(x, 3, 2, 1, max), Run(g.Build(), x));
    }

    [Fact]
    public void Global_average_pool_matches_the_channel_means()
    {
        var x = RefTensor.Random(new Random(13), 3, 4, 5, 7);
        var g = new OnnxGraphBuilder("gap");
        g.Output(g.GlobalAveragePool(g.Input("input", -1, 4, 5, 7)), "output", -1, 4, 1, 1);

        AssertClose(ReferenceOps.GlobalAveragePool(x), Run(g.Build(), x));
    }

    [Fact]
    public void Batch_normalization_uses_running_statistics()
    {
        var rng = new Random(14);
        var x = RefTensor.Random(rng, 2, 3, 4, 4);
        var scale = RefTensor.Random(rng, 3);
        var bias = RefTensor.Random(rng, 3);
        var mean = RefTensor.Random(rng, 3);
        var variance = new RefTensor([0.5f, 1.7f, 0.01f], [3]);
        var g = new OnnxGraphBuilder("bn");
        string y = g.BatchNormalization(g.Input("input", -1, 3, 4, 4),
            Weight(g, "scale", scale), Weight(g, "bias", bias), Weight(g, "mean", mean), Weight(g, "var", variance), epsilon: 1e-3f);
        g.Output(y, "output", -1, 3, 4, 4);

        AssertClose(ReferenceOps.BatchNorm(x, scale, bias, mean, variance, 1e-3f), Run(g.Build(), x));
    }

    [Fact]
    public void Gemm_with_transposed_weight_and_matmul_plus_add_agree_with_a_linear_layer()
    {
        var rng = new Random(15);
        var x = RefTensor.Random(rng, 5, 12);
        var w = RefTensor.Random(rng, 7, 12);
        var b = RefTensor.Random(rng, 7);
        var expected = ReferenceOps.Linear(x, w, b);

        var gemm = new OnnxGraphBuilder("gemm");
        gemm.Output(gemm.Gemm(gemm.Input("input", -1, 12), Weight(gemm, "w", w), Weight(gemm, "b", b), transB: true), "output", -1, 7);
        AssertClose(expected, Run(gemm.Build(), x));

        var transposed = new float[12 * 7];
        for (int i = 0; i < 7; i++)
        {
            for (int j = 0; j < 12; j++)
                transposed[j * 7 + i] = w.Data[i * 12 + j];
        }
        var matmul = new OnnxGraphBuilder("matmul");
        string product = matmul.MatMul(matmul.Input("input", -1, 12), matmul.Initializer("wT", transposed, 12, 7));
        matmul.Output(matmul.Add(product, Weight(matmul, "b", b)), "output", -1, 7);
        AssertClose(expected, Run(matmul.Build(), x));
    }

    [Fact]
    public void Softmax_rows_match_and_sum_to_one()
    {
        var x = RefTensor.Random(new Random(16), 4, 10);
        for (int i = 0; i < x.Data.Length; i++)
            x.Data[i] *= 20;
        var g = new OnnxGraphBuilder("softmax");
        g.Output(g.Softmax(g.Input("input", -1, 10), axis: 1), "output", -1, 10);

        var actual = Run(g.Build(), x);

        AssertClose(ReferenceOps.Softmax(x), actual);
        for (int r = 0; r < 4; r++)
            Assert.Equal(1f, actual.Data.Skip(r * 10).Take(10).Sum(), 1e-5f);
    }

    [Fact]
    public void Elementwise_sub_div_mul_normalize_like_mnist_preprocessing()
    {
        var x = RefTensor.Random(new Random(17), 2, 1, 4, 4);
        var g = new OnnxGraphBuilder("normalize");
        string centred = g.Sub(g.Input("input", -1, 1, 4, 4), g.Initializer("mean", [0.1307f], 1));
        string scaled = g.Div(centred, g.Initializer("std", [0.3081f], 1));
        g.Output(g.Mul(scaled, g.Initializer("two", [2f], 1)), "output", -1, 1, 4, 4);

        var expected = x with { Data = x.Data.Select(v => (v - 0.1307f) / 0.3081f * 2f).ToArray() };
        AssertClose(expected, Run(g.Build(), x));
    }

    /// <summary>The softmax-regression export: images to 784 columns, one Gemm, a softmax.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Logistic_regression_export_matches_with_reshape_or_flatten(bool reshape)
    {
        var rng = new Random(18);
        var images = RefTensor.Random(rng, 3, 1, 28, 28);
        var w = RefTensor.Random(rng, 10, 784);
        var b = RefTensor.Random(rng, 10);
        var g = new OnnxGraphBuilder("digits-logreg");
        string input = g.Input("input", -1, 1, 28, 28);
        string flat = reshape ? g.Reshape(input, [-1, 784]) : g.Flatten(input, axis: 1);
        string logits = g.Gemm(flat, g.Initializer(TensorData.FromFloats("weight", w.Data, 10, 784)),
            g.Initializer(TensorData.FromFloats("bias", b.Data, 10)), transB: true);
        g.Output(g.Softmax(logits, axis: 1), "probabilities", -1, 10);

        var expected = ReferenceOps.Softmax(ReferenceOps.Linear(ReferenceOps.Flatten(images), w, b));
        AssertClose(expected, Run(g.Build(), images));
    }

    /// <summary>conv-relu-conv-relu-maxpool-flatten-gemm-relu-gemm-softmax, the keras recipe in miniature, at batch 3.</summary>
    [Fact]
    public void Small_cnn_with_symbolic_batch_runs_at_batch_3_and_matches()
    {
        var rng = new Random(19);
        var images = RefTensor.Random(rng, 3, 1, 12, 12);
        var c1w = RefTensor.Random(rng, 4, 1, 3, 3);
        var c1b = RefTensor.Random(rng, 4);
        var c2w = RefTensor.Random(rng, 6, 4, 3, 3);
        var c2b = RefTensor.Random(rng, 6);
        var f1w = RefTensor.Random(rng, 16, 6 * 4 * 4);
        var f1b = RefTensor.Random(rng, 16);
        var f2w = RefTensor.Random(rng, 10, 16);
        var f2b = RefTensor.Random(rng, 10);

        var g = new OnnxGraphBuilder("digits-cnn");
        string x = g.Input("input", -1, 1, 12, 12);
        x = g.Relu(g.Conv(x, Weight(g, "conv1.weight", c1w), Weight(g, "conv1.bias", c1b), kernel: [3, 3], strides: [1, 1], pads: [0, 0, 0, 0], name: "conv1"));
        x = g.Relu(g.Conv(x, Weight(g, "conv2.weight", c2w), Weight(g, "conv2.bias", c2b), kernel: [3, 3], name: "conv2"));
        x = g.Flatten(g.MaxPool(x, kernel: [2, 2], strides: [2, 2]));
        x = g.Relu(g.Gemm(x, Weight(g, "fc1.weight", f1w), Weight(g, "fc1.bias", f1b), transB: true));
        x = g.Gemm(x, Weight(g, "fc2.weight", f2w), Weight(g, "fc2.bias", f2b), transB: true, name: "logits");
        g.Output(g.Softmax(x, axis: 1), "probabilities", -1, 10);

        var r = ReferenceOps.Relu(ReferenceOps.Conv2d(images, c1w, c1b, 1, 0));
        r = ReferenceOps.Relu(ReferenceOps.Conv2d(r, c2w, c2b, 1, 0));
        r = ReferenceOps.Flatten(ReferenceOps.Pool2d(r, 2, 2, 0, max: true));
        r = ReferenceOps.Relu(ReferenceOps.Linear(r, f1w, f1b));
        var expected = ReferenceOps.Softmax(ReferenceOps.Linear(r, f2w, f2b));

        AssertClose(expected, Run(g.Build(), images));
    }

    [Fact]
    public void Save_writes_a_model_onnx_runtime_opens_from_disk()
    {
        using var folder = new TempFolder();
        string path = folder.File("digits.onnx");
        var g = new OnnxGraphBuilder("saved");
        g.Output(g.Relu(g.Input("input", -1, 2)), "output", -1, 2);

        g.Save(path);

        Assert.Equal(g.Build(), File.ReadAllBytes(path));
        using var session = new InferenceSession(path);
        Assert.Equal(["output"], session.OutputNames);
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Builder_refuses_undefined_values_duplicates_and_mismatched_initializers()
    {
        var g = new OnnxGraphBuilder("bad");
        string x = g.Input("input", -1, 4);

        Assert.Contains("'nowhere' is not defined", Assert.Throws<ArgumentException>(() => g.Relu("nowhere")).Message);
        Assert.Contains("'input' is already defined", Assert.Throws<ArgumentException>(() => g.Input("input", 1)).Message);
        Assert.Contains("shape [2,3] needs 6 values, got 5", Assert.Throws<ArgumentException>(() => g.Initializer("w", new float[5], 2, 3)).Message);
        Assert.Contains("'w' is I32", Assert.Throws<ArgumentException>(() => g.Initializer(TensorData.FromInt32s("w", [1], 1))).Message);
        Assert.Throws<InvalidOperationException>(() => g.Build());
        Assert.Equal("Relu", g.Relu(x));
        Assert.Equal("Relu_1", g.Relu(x));
    }
}
