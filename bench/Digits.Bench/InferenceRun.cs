using System.Diagnostics;
using Digits.Data;
using Digits.Neural;
using Digits.Persistence;
using Digits.Tensors;

namespace Digits.Bench;

/// <summary>
/// Times in-process inference of saved models on the real MNIST test set (issue 5's targets: the <c>cnn-fast</c>
/// model classifies 10k images in at most 1 s and one image in at most 0.2 ms; the <c>keras</c> model at most half
/// of libtorch's time for both). Everything a caller pays is inside the timing: byte pixels to floats, any
/// preprocessing the model stores, the forward pass and softmax. The model is loaded and warmed up first (tiered
/// compilation), then 10k images are timed best of 5 and one image as the median of 1,000 calls, on each thread
/// count. Also prints the test accuracy, so a broken fast path cannot pass unnoticed.
/// Usage: <c>-- infer DATA MODEL...</c>.
/// </summary>
internal static class InferenceRun
{
    public static void Print(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: infer DATA MODEL...");
            Environment.Exit(2);
        }
        var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = args[0], AllowDownload = false });
        LabeledImages test = store.LoadAsync(DatasetCatalog.Mnist).GetAwaiter().GetResult().Test;
        foreach (string path in args.Skip(1))
        {
            IPersistableModel model = ModelLoader.Load(path);
            int classes = model.Labels.Count, n = test.Count, size = test.PixelsPerImage;
            var probabilities = new float[n * classes];
            foreach (int threads in new[] { 1, 2 })
            {
                WorkerPool.Threads = threads;
                long first = Stopwatch.GetTimestamp();
                model.Predict(test.Pixels, n, probabilities);
                // Slow models (a kernel SVM takes seconds) are timed twice, fast ones best of 5.
                int runs = Stopwatch.GetElapsedTime(first).TotalSeconds > 2 ? 2 : 5;
                double all = TrainStepRun.BestMs(() => model.Predict(test.Pixels, n, probabilities), runs);
                int correct = 0;
                for (int i = 0; i < n; i++)
                {
                    correct += ArgMax(probabilities.AsSpan(i * classes, classes)) == test.Labels[i] ? 1 : 0;
                }
                var one = new float[classes];
                var samples = new double[1000];
                // Warm up for a second, so that tiered compilation has replaced every hot loop before timing.
                for (long warm = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(warm).TotalSeconds < 1;)
                {
                    model.Predict(test.Pixels.AsSpan(0, size), 1, one);
                }
                for (int i = 0; i < samples.Length; i++)
                {
                    ReadOnlySpan<byte> image = test.Pixels.AsSpan(i % n * size, size);
                    long start = Stopwatch.GetTimestamp();
                    model.Predict(image, 1, one);
                    samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                Array.Sort(samples);
                Console.WriteLine($"{{\"model\": \"{Path.GetFileName(path)}\", \"name\": \"{model.Name}\", \"threads\": {threads}, " +
                    $"\"infer_10k_s\": {all / 1000:F3}, \"single_image_ms\": {samples[samples.Length / 2]:F4}, " +
                    $"\"test_accuracy\": {(double)correct / n:F4}}}");
            }
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
