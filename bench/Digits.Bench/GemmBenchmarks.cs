using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Digits.Tensors;

namespace Digits.Bench;

/// <summary>GEMM on the target shapes, per micro-kernel path and thread count.</summary>
public class GemmBenchmarks
{
    private GemmRunner runner = null!;

    public static IEnumerable<GemmShape> Shapes => GemmShape.Targets;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [Params("Vector512", "Vector256")]
    public string Path { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        WorkerPool.Threads = Threads;
        runner = new GemmRunner(Shape, Enum.Parse<GemmPath>(Path));
        PeakAtSetup[Key(Shape, Path, Threads)] = PeakFma.MeasureGflops(Threads);
    }

    /// <summary>
    /// The FMA peak measured in each case's setup, just before its iterations, by key <see cref="Key"/>. On a
    /// machine shared with other work the peak moves from minute to minute, so each case is judged against the
    /// peak of its own moment (benchmarks run in process, so the summary columns can read this).
    /// </summary>
    public static ConcurrentDictionary<string, double> PeakAtSetup { get; } = new();

    public static string Key(object? shape, object? path, object? threads) => $"{shape}|{path}|{threads}";

    [Benchmark]
    public void Multiply() => runner.Multiply();
}
