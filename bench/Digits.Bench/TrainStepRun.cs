using System.Diagnostics;
using Digits.Neural;
using Digits.Neural.Optimizers;
using Digits.Neural.Training;
using Digits.Tensors;

namespace Digits.Bench;

/// <summary>
/// Times the Keras MNIST convnet (issue 5's like-for-like speed comparison with libtorch), or the recipe named by an
/// optional first argument (<c>cnn-fast</c>, <c>cnn</c>): one training step at the recipe's batch size (128 for Keras) (forward, softmax cross-entropy, backward, Adam) layer by layer on 1 and 2 threads, then inference
/// in eval mode for 10k images and for one image. Medians over many steps, because other processes share the
/// machine and a mean would average their bursts in, after 30 warm-up steps so that tiered compilation has
/// replaced the hot loops with optimized code. Arguments: optional recipe, then timed steps per thread count (default 30).
/// </summary>
internal static class TrainStepRun
{
    private const int InferenceImages = 10_000;
    private const int InferenceBatch = 256;
    private static int batch = 128;
    private static LayerSpec[] keras = [.. Recipes.Keras.Layers];

    public static void Print(string[] args)
    {
        if (args.Length > 0 && !char.IsAsciiDigit(args[0][0]))
        {
            CnnRecipe recipe = Recipes.Get(args[0]);
            keras = [.. recipe.Layers];
            batch = recipe.Training.BatchSize;
            Console.WriteLine($"recipe {recipe.Name}, batch {batch}");
            args = args[1..];
        }
        int steps = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 30;
        var input = new SampleShape(1, 28, 28);
        float[] images = RandomImages(InferenceImages * input.Size);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
        foreach (int threads in new[] { 1, 2 })
        {
            WorkerPool.Threads = threads;
            var network = new Network(input, keras, batch, 1);
            var adam = new Adam(network.Parameters);
            var stepper = new LayerStepper(network);
            for (int step = 0; step < 30; step++)
            {
                stepper.Step(images, labels, adam, null);
            }
            double[][] samples = Enumerable.Range(0, steps).Select(_ => new double[2 * network.Layers.Count + 2]).ToArray();
            foreach (double[] sample in samples)
            {
                stepper.Step(images, labels, adam, sample);
            }
            double[] medians = Enumerable.Range(0, samples[0].Length).Select(i => Median(samples.Select(s => s[i]))).ToArray();
            double stepMs = Median(samples.Select(s => s.Sum()));
            Console.WriteLine($"threads {threads}: GEMM 512^3 yardstick {GemmGflops():F0} GFLOP/s (load indicator)");
            for (int i = 0; i < network.Layers.Count; i++)
            {
                Layer layer = network.Layers[i];
                if (!layer.PassesThrough)
                {
                    Console.WriteLine($"  {$"{layer.Kind} ({i})",-14} forward {medians[i],7:F2} ms   backward {medians[network.Layers.Count + i],7:F2} ms");
                }
            }
            Console.WriteLine($"  {"loss",-14} {medians[^2],15:F2} ms   adam {medians[^1],11:F2} ms");
            Console.WriteLine($"threads {threads}: {stepMs:F1} ms/step (median of {steps}), {batch * 1000 / stepMs:F0} images/s, " +
                $"{60000 / (batch * 1000 / stepMs):F1} s per 60k epoch");
            PrintInference(network, images, threads);
        }
    }

    /// <summary>One image through each layer in eval mode: the median of 2,000 calls per layer, after as many warm-up calls.</summary>
    private static void PrintSingleImageLayers(Network network, float[] images)
    {
        var layers = network.Layers;
        var activations = new float[layers.Count + 1][];
        activations[0] = images.AsSpan(0, network.InputShape.Size).ToArray();
        for (int i = 0; i < layers.Count; i++)
        {
            activations[i + 1] = layers[i].PassesThrough ? activations[i] : new float[layers[i].OutputShape.Size];
        }
        var samples = new double[layers.Count][];
        for (int i = 0; i < layers.Count; i++)
        {
            samples[i] = new double[2000];
        }
        for (int round = 0; round < 4000; round++)
        {
            for (int i = 0; i < layers.Count; i++)
            {
                if (layers[i].PassesThrough)
                {
                    continue;
                }
                long start = Stopwatch.GetTimestamp();
                layers[i].Forward(activations[i], activations[i + 1], 1, false);
                if (round >= 2000)
                {
                    samples[i][round - 2000] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }
        }
        for (int i = 0; i < layers.Count; i++)
        {
            if (!layers[i].PassesThrough)
            {
                Console.WriteLine($"  one image {$"{layers[i].Kind} ({i})",-14} {Median(samples[i]),8:F4} ms");
            }
        }
    }

    /// <summary>10k images in batches of <see cref="InferenceBatch"/>, and one image, in eval mode, best of a few runs.</summary>
    private static void PrintInference(Network trained, float[] images, int threads)
    {
        var network = new Network(trained.InputShape, keras, InferenceBatch, 1);
        trained.Parameters.Values.CopyTo(network.Parameters.Values, 0);
        int size = network.InputShape.Size;
        double all = BestMs(() =>
        {
            for (int start = 0; start < InferenceImages; start += InferenceBatch)
            {
                int count = Math.Min(InferenceBatch, InferenceImages - start);
                network.Forward(images.AsSpan(start * size, count * size), count, false);
            }
        }, 3);
        double one = BestMs(() => network.Forward(images.AsSpan(0, size), 1, false), 200);
        Console.WriteLine($"threads {threads}: inference {InferenceImages} images {all:F0} ms ({InferenceImages * 1000 / all:F0} images/s), one image {one:F3} ms");
        PrintSingleImageLayers(network, images);
    }

    /// <summary>The fastest of <paramref name="runs"/> timed calls, in ms, after one untimed call.</summary>
    internal static double BestMs(Action action, int runs)
    {
        action();
        double best = double.MaxValue;
        for (int run = 0; run < runs; run++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return best;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>MNIST-like inputs: about 80% zeros (background), the rest in (0, 1].</summary>
    private static float[] RandomImages(int length)
    {
        var random = new Random(1);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() < 0.8 ? 0f : (float)random.NextDouble();
        }
        return values;
    }

    private static double GemmGflops()
    {
        const int n = 512;
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        return 2.0 * n * n * n / BestMs(() => Gemm.Multiply(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n), 5) / 1e6;
    }

    /// <summary>
    /// Runs a network's layers one at a time, with buffers laid out as <see cref="Network"/> lays them out, so each
    /// layer's forward and backward can be timed on its own. The first layer gets no input gradient, as in training.
    /// </summary>
    private sealed class LayerStepper
    {
        private readonly Network network;
        private readonly float[][] activations, dactivations;
        private readonly float[] dlogits;

        public LayerStepper(Network network)
        {
            this.network = network;
            IReadOnlyList<Layer> layers = network.Layers;
            activations = new float[layers.Count + 1][];
            dactivations = new float[layers.Count + 1][];
            activations[0] = new float[batch * network.InputShape.Size];
            dactivations[0] = [];
            for (int i = 0; i < layers.Count; i++)
            {
                bool shared = layers[i].PassesThrough;
                activations[i + 1] = shared ? activations[i] : new float[batch * layers[i].OutputShape.Size];
                dactivations[i + 1] = shared ? dactivations[i] : new float[batch * layers[i].OutputShape.Size];
            }
            dlogits = dactivations[^1];
        }

        /// <summary>One training step; with <paramref name="ms"/>, records forward ms per layer, backward ms per layer, loss and Adam.</summary>
        public void Step(float[] images, int[] labels, Adam adam, double[]? ms)
        {
            IReadOnlyList<Layer> layers = network.Layers;
            int count = layers.Count;
            images.AsSpan(0, activations[0].Length).CopyTo(activations[0]);
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                if (!layers[i].PassesThrough)
                {
                    layers[i].Forward(activations[i], activations[i + 1], batch, true);
                }
                start = Record(ms, i, start);
            }
            SoftmaxCrossEntropy.Compute(activations[^1], labels, batch, 10, 0f, dlogits);
            start = Record(ms, 2 * count, start);
            for (int i = count - 1; i >= 0; i--)
            {
                if (!layers[i].PassesThrough)
                {
                    layers[i].Backward(activations[i], activations[i + 1], dactivations[i + 1], dactivations[i], batch);
                }
                start = Record(ms, count + i, start);
            }
            adam.Step(1e-3f);
            Record(ms, 2 * count + 1, start);
        }

        private static long Record(double[]? ms, int slot, long start)
        {
            long now = Stopwatch.GetTimestamp();
            if (ms != null)
            {
                ms[slot] = Stopwatch.GetElapsedTime(start, now).TotalMilliseconds;
            }
            return now;
        }
    }
}
