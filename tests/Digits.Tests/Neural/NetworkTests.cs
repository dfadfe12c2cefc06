using Digits.Neural;
using Digits.Neural.Optimizers;
using Digits.Tensors;

namespace Digits.Tests.Neural;

[Collection(Digits.Tests.Tensors.WorkerPoolThreadsCollection.Name)]
public class NetworkTests
{
    /// <summary>The Keras mnist_convnet example's layers.</summary>
    internal static readonly LayerSpec[] KerasConvnet =
    [
        new Conv2dSpec(32, 3), new ReluSpec(), new Conv2dSpec(64, 3), new ReluSpec(), new MaxPool2dSpec(2),
        new DropoutSpec(0.25f), new FlattenSpec(), new LinearSpec(128), new ReluSpec(), new DropoutSpec(0.5f), new LinearSpec(10),
    ];

    [Fact]
    public void Summary_lists_output_shapes_and_parameter_counts_like_keras()
    {
        var network = new Network(new SampleShape(1, 28, 28), KerasConvnet, 2, 1);
        IReadOnlyList<LayerSummary> rows = network.Summary();
        Assert.Equal("Conv2d (0)", rows[0].Name);
        Assert.Equal(new SampleShape(32, 26, 26), rows[0].OutputShape);
        Assert.Equal(320, rows[0].Parameters);
        Assert.Equal(18_496, rows[2].Parameters);
        Assert.Equal(new SampleShape(64, 12, 12), rows[4].OutputShape);
        Assert.Equal(SampleShape.Flat(9216), rows[6].OutputShape);
        Assert.Equal(1_179_776, rows[7].Parameters);
        Assert.Equal(1_290, rows[10].Parameters);
        Assert.Equal(1_199_882, network.Parameters.Values.Length);
    }

    [Fact]
    public void Parameters_are_named_like_a_pytorch_sequential_state_dict()
    {
        var network = new Network(new SampleShape(1, 8, 8), [new Conv2dSpec(4, 3), new BatchNormSpec(), new FlattenSpec(), new LinearSpec(2)], 1, 1);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"], network.Parameters.Parameters.Select(p => p.Name));
        Assert.Equal(["1.running_mean", "1.running_var"], network.Parameters.BufferViews.Select(p => p.Name));
        Assert.Equal([4, 1, 3, 3], network.Parameters.Parameters[0].Shape);
        Assert.Equal([true, false, false, false, true, false], network.Parameters.Parameters.Select(p => p.Decay));
    }

    [Fact]
    public void Architecture_round_trips_through_json()
    {
        LayerSpec[] specs = [.. KerasConvnet, new BatchNormSpec(), new AvgPool2dSpec(2, 1), new GlobalAvgPoolSpec(), new Conv2dSpec(8, 5, 2, 2)];
        string json = Architecture.ToJson(specs);
        Assert.StartsWith("[{\"type\":\"conv2d\",\"out\":32,\"kernel\":3,\"stride\":1,\"padding\":0},{\"type\":\"relu\"}", json);
        Assert.Equal(specs, Architecture.FromJson(json));
    }

    [Fact]
    public void Architecture_json_uses_defaults_for_missing_optional_fields()
    {
        IReadOnlyList<LayerSpec> specs = Architecture.FromJson("""[{"kernel":3,"type":"conv2d","out":8},{"type":"maxpool2d","kernel":2}]""");
        Assert.Equal([new Conv2dSpec(8, 3, 1, 0), new MaxPool2dSpec(2)], specs);
    }

    [Theory]
    [InlineData("""[{"type":"warp"}]""")]
    [InlineData("""{"type":"relu"}""")]
    [InlineData("""[{"type":"linear"}]""")]
    [InlineData("not json")]
    public void Bad_architecture_json_gets_a_digits_error(string json)
    {
        var error = Assert.Throws<DigitsException>(() => Architecture.FromJson(json));
        Assert.Equal("architecture", error.Subject);
    }

    [Fact]
    public void A_layer_that_does_not_fit_its_input_is_named_in_the_error()
    {
        var error = Assert.Throws<DigitsException>(() => new Network(new SampleShape(1, 4, 4), [new Conv2dSpec(2, 3), new Conv2dSpec(2, 3)], 1, 1));
        Assert.Equal("layer 1 (Conv2d)", error.Subject);
        Assert.Throws<DigitsException>(() => new Network(new SampleShape(1, 4, 4), [new LinearSpec(2)], 1, 1));
    }

    [Fact]
    public void Training_is_bit_identical_for_the_same_seed_and_any_thread_count()
    {
        int saved = WorkerPool.Threads;
        try
        {
            WorkerPool.Threads = 2;
            float[] first = TrainSmallConvnet(steps: 3, seed: 5);
            float[] second = TrainSmallConvnet(steps: 3, seed: 5);
            WorkerPool.Threads = 1;
            float[] single = TrainSmallConvnet(steps: 3, seed: 5);
            Assert.Equal(first, second);
            Assert.Equal(first, single);
            Assert.NotEqual(first, TrainSmallConvnet(steps: 3, seed: 6));
        }
        finally
        {
            WorkerPool.Threads = saved;
        }
    }

    [Fact]
    public void One_image_through_large_layers_matches_the_batched_path_on_any_thread_count()
    {
        // conv (32 → 32 channels on 16×16) and a 300 × 7200 dense layer: one image takes the threaded single-image
        // paths (one GEMM over all threads, dot products split by output), a batch of 6 the per-chunk GEMMs.
        LayerSpec[] specs = [new Conv2dSpec(32, 3), new ReluSpec(), new FlattenSpec(), new LinearSpec(300)];
        var input = new SampleShape(32, 16, 16);
        var network = new Network(input, specs, 6, 3);
        float[] images = GradientCheck.AwayFromZero(6 * input.Size, 2);
        float[] batched = network.Forward(images, 6, false).ToArray();
        int saved = WorkerPool.Threads;
        try
        {
            float[][] single = new float[2][];
            foreach (int threads in new[] { 1, 2 })
            {
                WorkerPool.Threads = threads;
                single[threads - 1] = network.Forward(images.AsSpan(5 * input.Size, input.Size), 1, false).ToArray();
            }
            Assert.Equal(single[0], single[1]);
            for (int o = 0; o < 300; o++)
                Assert.Equal(batched[5 * 300 + o], single[1][o], 1e-3f);
        }
        finally
        {
            WorkerPool.Threads = saved;
        }
    }

    [Fact]
    public void An_inference_network_computes_the_same_outputs_and_refuses_backward()
    {
        LayerSpec[] specs = [new Conv2dSpec(4, 3), new ReluSpec(), new FlattenSpec(), new LinearSpec(3)];
        var input = new SampleShape(1, 6, 6);
        var trainable = new Network(input, specs, 2, 9);
        var inference = new Network(input, specs, 2, 9, trainable: false);
        float[] images = GradientCheck.AwayFromZero(2 * input.Size, 4);
        Assert.Equal(trainable.Forward(images, 2, false).ToArray(), inference.Forward(images, 2, false).ToArray());
        Assert.Throws<InvalidOperationException>(() => inference.Backward(new float[6]));
    }

    [Fact]
    public void A_training_step_allocates_nothing_once_warm()
    {
        var network = new Network(new SampleShape(1, 12, 12),
            [new Conv2dSpec(8, 3), new BatchNormSpec(), new ReluSpec(), new MaxPool2dSpec(2), new DropoutSpec(0.25f), new FlattenSpec(), new LinearSpec(10)], 32, 1);
        var adam = new Adam(network.Parameters);
        float[] inputs = GradientCheck.AwayFromZero(32 * 144, 1);
        int[] labels = new int[32];
        float[] dlogits = new float[320];
        void Step()
        {
            ReadOnlySpan<float> logits = network.Forward(inputs, 32, true);
            SoftmaxCrossEntropy.Compute(logits, labels, 32, 10, 0.1f, dlogits);
            network.Backward(dlogits);
            adam.Step(1e-3f);
        }
        Step();
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_small_convnet_learns_separable_patterns()
    {
        (float[] images, int[] labels) = SyntheticPatterns.Make(200, 4, 1);
        var network = new Network(new SampleShape(1, 8, 8),
            [new Conv2dSpec(8, 3, 1, 1), new BatchNormSpec(), new ReluSpec(), new MaxPool2dSpec(2), new FlattenSpec(), new LinearSpec(4)], 50, 3);
        var adam = new Adam(network.Parameters);
        float[] dlogits = new float[50 * 4];
        for (int step = 0; step < 100; step++)
        {
            int start = step % 4 * 50;
            ReadOnlySpan<float> logits = network.Forward(images.AsSpan(start * 64, 50 * 64), 50, true);
            SoftmaxCrossEntropy.Compute(logits, labels.AsSpan(start, 50), 50, 4, 0f, dlogits);
            network.Backward(dlogits);
            adam.Step(1e-2f);
        }
        int correct = 0;
        for (int start = 0; start < 200; start += 50)
        {
            ReadOnlySpan<float> logits = network.Forward(images.AsSpan(start * 64, 50 * 64), 50, false);
            for (int n = 0; n < 50; n++)
            {
                ReadOnlySpan<float> row = logits.Slice(n * 4, 4);
                int best = 0;
                for (int j = 1; j < 4; j++)
                {
                    best = row[j] > row[best] ? j : best;
                }
                correct += best == labels[start + n] ? 1 : 0;
            }
        }
        Assert.True(correct >= 190, $"{correct}/200 correct");
    }

    private static float[] TrainSmallConvnet(int steps, ulong seed)
    {
        (float[] images, int[] labels) = SyntheticPatterns.Make(40, 3, 2);
        var network = new Network(new SampleShape(1, 8, 8),
            [new Conv2dSpec(6, 3), new ReluSpec(), new Conv2dSpec(8, 3, 1, 1), new BatchNormSpec(), new ReluSpec(),
             new MaxPool2dSpec(2), new DropoutSpec(0.3f), new FlattenSpec(), new LinearSpec(3)], 40, seed);
        var adam = new Adam(network.Parameters);
        float[] dlogits = new float[40 * 3];
        for (int step = 0; step < steps; step++)
        {
            ReadOnlySpan<float> logits = network.Forward(images, 40, true);
            SoftmaxCrossEntropy.Compute(logits, labels, 40, 3, 0.1f, dlogits);
            network.Backward(dlogits);
            adam.Step(1e-2f);
        }
        return [.. network.Parameters.Values, .. network.Parameters.Buffers];
    }
}
