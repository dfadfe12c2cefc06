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
    }

    [Benchmark]
    public void Multiply() => runner.Multiply();
}
