using BenchmarkDotNet.Attributes;
using System.Runtime.Intrinsics.X86;

namespace Digits.Bench;

/// <summary>The FMA peak that <see cref="GemmBenchmarks"/> are judged against; see <see cref="PeakFma"/>.</summary>
public class GemmPeakBenchmarks
{
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void RequireAvx512()
    {
        if (!Avx512F.IsSupported)
        {
            throw new PlatformNotSupportedException("The peak loop needs AVX-512F.");
        }
    }

    [Benchmark]
    public float Peak() => PeakFma.Run(Threads);
}
