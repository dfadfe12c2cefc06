using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Digits.Tensors;

namespace Digits.Bench;

/// <summary>
/// The machine's FP32 FMA peak, measured: 12 independent chains of 512-bit FMAs on registers only (12 chains
/// cover a 4-cycle latency on two FMA pipes with room to spare). GEMM results are judged against this number
/// measured in the same run, so a busy or throttled machine moves both.
/// </summary>
public static class PeakFma
{
    /// <summary>FMA instructions per loop iteration, each 16 lanes × 2 flops.</summary>
    private const int ChainsPerIteration = 12;

    /// <summary>Iterations per thread for one benchmark invocation: about 1 ms at 200 GFLOP/s.</summary>
    public const int Iterations = 500_000;

    /// <summary>Floating-point operations one thread does in one <see cref="RunOneThread"/>.</summary>
    public const double FlopsPerThread = (double)Iterations * ChainsPerIteration * 16 * 2;

    /// <summary>
    /// The best GFLOP/s of <paramref name="tries"/> runs on <paramref name="threads"/> threads: the peak the machine
    /// gives right now, for judging a benchmark that runs right after.
    /// </summary>
    public static double MeasureGflops(int threads, int tries = 30)
    {
        double best = double.MaxValue;
        for (int i = 0; i < tries; i++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            Run(threads);
            best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return FlopsPerThread * threads / best / 1e9;
    }

    /// <summary>Runs the loop on <paramref name="threads"/> pool threads at once.</summary>
    public static float Run(int threads)
    {
        int saved = WorkerPool.Threads;
        WorkerPool.Threads = threads;
        try
        {
            var body = new OnePerThread();
            WorkerPool.For(threads, body);
            return body.Checksum();
        }
        finally
        {
            WorkerPool.Threads = saved;
        }
    }

    private readonly struct OnePerThread : IParallelBody
    {
        private readonly float[] results = new float[64];

        public OnePerThread() { }

        public void Run(int index) => results[index] = RunOneThread(Iterations);

        public float Checksum() => results.Sum();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float RunOneThread(int iterations)
    {
        Vector512<float> x = Vector512.Create(0.999999f), y = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0 + y, a2 = a1 + y, a3 = a2 + y, a4 = a3 + y, a5 = a4 + y,
            a6 = a5 + y, a7 = a6 + y, a8 = a7 + y, a9 = a8 + y, a10 = a9 + y, a11 = a10 + y;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, x, y);
            a1 = Avx512F.FusedMultiplyAdd(a1, x, y);
            a2 = Avx512F.FusedMultiplyAdd(a2, x, y);
            a3 = Avx512F.FusedMultiplyAdd(a3, x, y);
            a4 = Avx512F.FusedMultiplyAdd(a4, x, y);
            a5 = Avx512F.FusedMultiplyAdd(a5, x, y);
            a6 = Avx512F.FusedMultiplyAdd(a6, x, y);
            a7 = Avx512F.FusedMultiplyAdd(a7, x, y);
            a8 = Avx512F.FusedMultiplyAdd(a8, x, y);
            a9 = Avx512F.FusedMultiplyAdd(a9, x, y);
            a10 = Avx512F.FusedMultiplyAdd(a10, x, y);
            a11 = Avx512F.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
