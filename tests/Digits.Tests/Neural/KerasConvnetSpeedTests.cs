using System.Diagnostics;
using Digits.Neural;
using Digits.Neural.Optimizers;
using Digits.Tensors;
using Xunit.Abstractions;

namespace Digits.Tests.Neural;

/// <summary>
/// Times one training step (forward, loss, backward, Adam) of the Keras MNIST convnet at batch 128 on 1 and 2
/// threads, and prints images/s. Runs a few steps in the normal suite; for stable figures run
/// <c>DIGITS_SPEED_STEPS=100 dotnet test -c Release --filter Category=Speed --logger "console;verbosity=detailed"</c>.
/// </summary>
public class KerasConvnetSpeedTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Speed")]
    public void Keras_convnet_training_step_throughput()
    {
        const int batch = 128;
        var network = new Network(new SampleShape(1, 28, 28), NetworkTests.KerasConvnet, batch, 1);
        var adam = new Adam(network.Parameters);
        float[] inputs = GradientCheck.AwayFromZero(batch * 784, 1);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            labels[i] = i % 10;
        }
        float[] dlogits = new float[batch * 10];
        bool measuring = int.TryParse(Environment.GetEnvironmentVariable("DIGITS_SPEED_STEPS"), out int timedSteps);
        int warmupSteps = measuring ? 10 : 2;
        timedSteps = measuring ? timedSteps : 3;
        int saved = WorkerPool.Threads;
        GemmGflops();
        float loss = 0f;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                WorkerPool.Threads = threads;
                output.WriteLine($"threads {threads}: GEMM 512³ at {GemmGflops():F1} GFLOP/s in this run (a yardstick for how busy the machine is)");
                var phases = new double[3];
                for (int step = 0; step < warmupSteps + timedSteps; step++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    ReadOnlySpan<float> logits = network.Forward(inputs, batch, true);
                    loss = SoftmaxCrossEntropy.Compute(logits, labels, batch, 10, 0f, dlogits);
                    long t1 = Stopwatch.GetTimestamp();
                    network.Backward(dlogits);
                    long t2 = Stopwatch.GetTimestamp();
                    adam.Step(1e-3f);
                    long t3 = Stopwatch.GetTimestamp();
                    if (step >= warmupSteps)
                    {
                        phases[0] += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                        phases[1] += Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
                        phases[2] += Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds;
                    }
                }
                double stepMs = (phases[0] + phases[1] + phases[2]) / timedSteps;
                output.WriteLine($"threads {threads}: {stepMs:F1} ms/step (forward {phases[0] / timedSteps:F1}, backward {phases[1] / timedSteps:F1}, adam {phases[2] / timedSteps:F1}), " +
                    $"{batch * 1000 / stepMs:F0} images/s, {60000 / (batch * 1000 / stepMs):F1} s per 60k epoch");
            }
        }
        finally
        {
            WorkerPool.Threads = saved;
        }
        Assert.True(float.IsFinite(loss), $"loss {loss}");
    }

    private static double GemmGflops()
    {
        const int n = 512;
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        Gemm.Multiply(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
        long start = Stopwatch.GetTimestamp();
        for (int r = 0; r < 5; r++)
        {
            Gemm.Multiply(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
        }
        return 5 * 2.0 * n * n * n / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
    }
}
