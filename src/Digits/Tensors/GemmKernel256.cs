using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// AVX2 + FMA micro-kernel: a 6×16 tile of C in 12 ymm accumulators (two per row), 15 registers with the two B
/// vectors and one broadcast, so it fits the 16 ymm registers of CPUs without AVX-512.
/// </summary>
internal readonly unsafe struct GemmKernel256 : IGemmMicroKernel
{
    public static int TileRows => 6;
    public static int TileColumns => 16;
    public static int BlockDepth => 256;
    public static int BlockRows => 144;
    public static int BlockColumns => 2048;

    /// <summary>Compiled fully optimized at once, so early calls never run an unoptimized tier-0 copy of the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, float* packedA, float* packedB, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float>
            c0a = default, c0b = default,
            c1a = default, c1b = default,
            c2a = default, c2b = default,
            c3a = default, c3b = default,
            c4a = default, c4b = default,
            c5a = default, c5b = default;
        for (int p = 0; p < depth; p++)
        {
            Vector256<float> b0 = Vector256.Load(packedB);
            Vector256<float> b1 = Vector256.Load(packedB + 8);
            Vector256<float> a0 = Vector256.Create(packedA[0]);
            c0a = Fma.MultiplyAdd(a0, b0, c0a);
            c0b = Fma.MultiplyAdd(a0, b1, c0b);
            Vector256<float> a1 = Vector256.Create(packedA[1]);
            c1a = Fma.MultiplyAdd(a1, b0, c1a);
            c1b = Fma.MultiplyAdd(a1, b1, c1b);
            Vector256<float> a2 = Vector256.Create(packedA[2]);
            c2a = Fma.MultiplyAdd(a2, b0, c2a);
            c2b = Fma.MultiplyAdd(a2, b1, c2b);
            Vector256<float> a3 = Vector256.Create(packedA[3]);
            c3a = Fma.MultiplyAdd(a3, b0, c3a);
            c3b = Fma.MultiplyAdd(a3, b1, c3b);
            Vector256<float> a4 = Vector256.Create(packedA[4]);
            c4a = Fma.MultiplyAdd(a4, b0, c4a);
            c4b = Fma.MultiplyAdd(a4, b1, c4b);
            Vector256<float> a5 = Vector256.Create(packedA[5]);
            c5a = Fma.MultiplyAdd(a5, b0, c5a);
            c5b = Fma.MultiplyAdd(a5, b1, c5b);
            packedA += 6;
            packedB += 16;
        }

        StoreRow(c + 0 * ldc, c0a, c0b, alpha, beta);
        StoreRow(c + 1 * ldc, c1a, c1b, alpha, beta);
        StoreRow(c + 2 * ldc, c2a, c2b, alpha, beta);
        StoreRow(c + 3 * ldc, c3a, c3b, alpha, beta);
        StoreRow(c + 4 * ldc, c4a, c4b, alpha, beta);
        StoreRow(c + 5 * ldc, c5a, c5b, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> sum0, Vector256<float> sum1, float alpha, float beta)
    {
        Vector256<float> scale = Vector256.Create(alpha);
        if (beta == 0f)
        {
            Vector256.Store(sum0 * scale, c);
            Vector256.Store(sum1 * scale, c + 8);
        }
        else
        {
            Vector256<float> keep = Vector256.Create(beta);
            Vector256.Store(Fma.MultiplyAdd(sum0, scale, Vector256.Load(c) * keep), c);
            Vector256.Store(Fma.MultiplyAdd(sum1, scale, Vector256.Load(c + 8) * keep), c + 8);
        }
    }
}
