using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Digits.Tensors;

/// <summary>
/// Portable micro-kernel over <see cref="Vector128{T}"/>: a 4×8 tile in 8 accumulators. It runs wherever
/// .NET runs (NEON on ARM64, SSE on old x64, software elsewhere). <c>MultiplyAddEstimate</c> fuses where the
/// hardware can and multiplies then adds where it cannot, rather than emulating a fused result slowly.
/// </summary>
internal readonly unsafe struct GemmKernelPortable : IGemmMicroKernel
{
    public static int TileRows => 4;
    public static int TileColumns => 8;
    public static int BlockDepth => 256;
    public static int BlockRows => 128;
    public static int BlockColumns => 1024;

    /// <summary>Compiled fully optimized at once, so early calls never run an unoptimized tier-0 copy of the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, float* packedA, float* packedB, float* c, nint ldc, float alpha, float beta)
    {
        Vector128<float>
            c0a = default, c0b = default,
            c1a = default, c1b = default,
            c2a = default, c2b = default,
            c3a = default, c3b = default;
        for (int p = 0; p < depth; p++)
        {
            Vector128<float> b0 = Vector128.Load(packedB);
            Vector128<float> b1 = Vector128.Load(packedB + 4);
            Vector128<float> a0 = Vector128.Create(packedA[0]);
            c0a = Vector128.MultiplyAddEstimate(a0, b0, c0a);
            c0b = Vector128.MultiplyAddEstimate(a0, b1, c0b);
            Vector128<float> a1 = Vector128.Create(packedA[1]);
            c1a = Vector128.MultiplyAddEstimate(a1, b0, c1a);
            c1b = Vector128.MultiplyAddEstimate(a1, b1, c1b);
            Vector128<float> a2 = Vector128.Create(packedA[2]);
            c2a = Vector128.MultiplyAddEstimate(a2, b0, c2a);
            c2b = Vector128.MultiplyAddEstimate(a2, b1, c2b);
            Vector128<float> a3 = Vector128.Create(packedA[3]);
            c3a = Vector128.MultiplyAddEstimate(a3, b0, c3a);
            c3b = Vector128.MultiplyAddEstimate(a3, b1, c3b);
            packedA += 4;
            packedB += 8;
        }

        StoreRow(c + 0 * ldc, c0a, c0b, alpha, beta);
        StoreRow(c + 1 * ldc, c1a, c1b, alpha, beta);
        StoreRow(c + 2 * ldc, c2a, c2b, alpha, beta);
        StoreRow(c + 3 * ldc, c3a, c3b, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector128<float> sum0, Vector128<float> sum1, float alpha, float beta)
    {
        Vector128<float> scale = Vector128.Create(alpha);
        if (beta == 0f)
        {
            Vector128.Store(sum0 * scale, c);
            Vector128.Store(sum1 * scale, c + 4);
        }
        else
        {
            Vector128<float> keep = Vector128.Create(beta);
            Vector128.Store(Vector128.MultiplyAddEstimate(sum0, scale, Vector128.Load(c) * keep), c);
            Vector128.Store(Vector128.MultiplyAddEstimate(sum1, scale, Vector128.Load(c + 4) * keep), c + 4);
        }
    }
}
