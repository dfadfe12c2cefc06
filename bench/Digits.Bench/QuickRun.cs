using System.Diagnostics;
using Digits.Tensors;

namespace Digits.Bench;

/// <summary>
/// A fast Stopwatch measurement of the FMA peak and every target shape (best of a few runs), for tuning the
/// kernel between full BenchmarkDotNet runs. Arguments: optional path names (Vector512, Vector256, Portable), and
/// optional words that keep only the shapes whose name contains one of them (e.g. <c>quick Vector512 dWeight</c>).
/// </summary>
internal static class QuickRun
{
    public static void Print(string[] arguments)
    {
        string[] pathNames = [.. arguments.Where(a => Enum.TryParse<GemmPath>(a, out _))];
        string[] filters = [.. arguments.Except(pathNames)];
        GemmPath[] paths = pathNames.Length > 0
            ? pathNames.Select(Enum.Parse<GemmPath>).ToArray()
            : [GemmPath.Vector512, GemmPath.Vector256];
        int[] threadCounts = [1, Environment.ProcessorCount];
        var peak = threadCounts.ToDictionary(t => t, t => PeakFma.FlopsPerThread * t / BestSeconds(() => PeakFma.Run(t)) / 1e9);
        foreach (int t in threadCounts)
        {
            Console.WriteLine($"peak {t} thread(s): {peak[t],7:F1} GFLOP/s");
        }
        var source = new float[1 << 25];
        var destination = new float[source.Length];
        double copySeconds = BestSeconds(() => source.AsSpan().CopyTo(destination));
        Console.WriteLine($"memory copy of 128 MB, 1 thread: {2.0 * sizeof(float) * source.Length / copySeconds / 1e9:F1} GB/s read+written");
        if (filters.Length == 0)
        {
            PrintParallelCrossover(paths[0]);
        }
        foreach (GemmShape shape in GemmShape.Targets.Where(s => filters.Length == 0 || filters.Any(f => s.Name.Contains(f, StringComparison.Ordinal))))
        {
            foreach (GemmPath path in paths)
            {
                var runner = new GemmRunner(shape, path);
                foreach (int t in threadCounts)
                {
                    WorkerPool.Threads = t;
                    double gflops = shape.Flops / BestSeconds(runner.Multiply) / 1e9;
                    Console.WriteLine($"{shape,-45} {path,-9} {t} thread(s): {gflops,7:F1} GFLOP/s {100 * gflops / peak[t],4:F0}% of peak");
                }
            }
        }
    }

    /// <summary>Square problems around the single-thread threshold, timed on 1 and on 2 threads.</summary>
    private static void PrintParallelCrossover(GemmPath path)
    {
        WorkerPool.Threads = 2;
        double roundTrip = BestSeconds(() => WorkerPool.For(2, new NoWork()));
        Console.WriteLine($"WorkerPool.For(2) round trip with empty items: {roundTrip * 1e6:F1} us");
        long savedThreshold = GemmPartition.ParallelThresholdFlops;
        GemmPartition.ParallelThresholdFlops = 0;
        try
        {
            foreach (int size in new[] { 64, 96, 128, 160, 192, 256, 320 })
            {
                var runner = new GemmRunner(new GemmShape("square", false, false, size, size, size), path);
                WorkerPool.Threads = 1;
                double one = BestSeconds(runner.Multiply);
                WorkerPool.Threads = 2;
                double two = BestSeconds(runner.Multiply);
                Console.WriteLine($"{size}^3 ({2.0 * size * size * size / 1e6:F1} MFLOP) {path}: 1 thread {one * 1e6:F1} us, 2 threads {two * 1e6:F1} us");
            }
        }
        finally
        {
            GemmPartition.ParallelThresholdFlops = savedThreshold;
        }
    }

    private readonly struct NoWork : IParallelBody
    {
        public void Run(int index) { }
    }

    private static double BestSeconds(Action action)
    {
        action();
        double best = double.MaxValue;
        var watch = Stopwatch.StartNew();
        for (int run = 0; run < 20 && (run < 3 || watch.Elapsed.TotalSeconds < 1); run++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }

    private static double BestSeconds(Func<float> action) => BestSeconds(() => { action(); });
}
