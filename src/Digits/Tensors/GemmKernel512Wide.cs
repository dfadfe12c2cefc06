using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// AVX-512F micro-kernel for short, wide products: an 8×48 tile of C in 24 zmm accumulators (three per row).
/// Per depth step: 3 loads of B, 8 broadcasts of A and 24 FMAs, fewer loads per FMA than
/// <see cref="GemmKernel512"/>'s 12×32. It exists for the CNN's convolutions, whose M is the output channel
/// count (32, 64): 12-row tiles pad M = 64 to 72 and waste 11% of the FMAs, while 8 rows divide it, and 48
/// columns divide conv2's 576 output pixels and 288 weight columns.
/// </summary>
internal readonly unsafe struct GemmKernel512Wide : IGemmMicroKernel
{
    public static int TileRows => 8;
    public static int TileColumns => 48;
    public static int BlockDepth => 256;
    public static int BlockRows => 144;
    public static int BlockColumns => 2016;

    /// <summary>Compiled fully optimized at once, so early calls never run an unoptimized tier-0 copy of the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, float* packedA, float* packedB, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float>
            c0a = default, c0b = default, c0c = default,
            c1a = default, c1b = default, c1c = default,
            c2a = default, c2b = default, c2c = default,
            c3a = default, c3b = default, c3c = default,
            c4a = default, c4b = default, c4c = default,
            c5a = default, c5b = default, c5c = default,
            c6a = default, c6b = default, c6c = default,
            c7a = default, c7b = default, c7c = default;
        for (int p = 0; p < depth; p++)
        {
            Vector512<float> b0 = Vector512.Load(packedB);
            Vector512<float> b1 = Vector512.Load(packedB + 16);
            Vector512<float> b2 = Vector512.Load(packedB + 32);
            Vector512<float> a0 = Vector512.Create(packedA[0]);
            c0a = Avx512F.FusedMultiplyAdd(a0, b0, c0a);
            c0b = Avx512F.FusedMultiplyAdd(a0, b1, c0b);
            c0c = Avx512F.FusedMultiplyAdd(a0, b2, c0c);
            Vector512<float> a1 = Vector512.Create(packedA[1]);
            c1a = Avx512F.FusedMultiplyAdd(a1, b0, c1a);
            c1b = Avx512F.FusedMultiplyAdd(a1, b1, c1b);
            c1c = Avx512F.FusedMultiplyAdd(a1, b2, c1c);
            Vector512<float> a2 = Vector512.Create(packedA[2]);
            c2a = Avx512F.FusedMultiplyAdd(a2, b0, c2a);
            c2b = Avx512F.FusedMultiplyAdd(a2, b1, c2b);
            c2c = Avx512F.FusedMultiplyAdd(a2, b2, c2c);
            Vector512<float> a3 = Vector512.Create(packedA[3]);
            c3a = Avx512F.FusedMultiplyAdd(a3, b0, c3a);
            c3b = Avx512F.FusedMultiplyAdd(a3, b1, c3b);
            c3c = Avx512F.FusedMultiplyAdd(a3, b2, c3c);
            Vector512<float> a4 = Vector512.Create(packedA[4]);
            c4a = Avx512F.FusedMultiplyAdd(a4, b0, c4a);
            c4b = Avx512F.FusedMultiplyAdd(a4, b1, c4b);
            c4c = Avx512F.FusedMultiplyAdd(a4, b2, c4c);
            Vector512<float> a5 = Vector512.Create(packedA[5]);
            c5a = Avx512F.FusedMultiplyAdd(a5, b0, c5a);
            c5b = Avx512F.FusedMultiplyAdd(a5, b1, c5b);
            c5c = Avx512F.FusedMultiplyAdd(a5, b2, c5c);
            Vector512<float> a6 = Vector512.Create(packedA[6]);
            c6a = Avx512F.FusedMultiplyAdd(a6, b0, c6a);
            c6b = Avx512F.FusedMultiplyAdd(a6, b1, c6b);
            c6c = Avx512F.FusedMultiplyAdd(a6, b2, c6c);
            Vector512<float> a7 = Vector512.Create(packedA[7]);
            c7a = Avx512F.FusedMultiplyAdd(a7, b0, c7a);
            c7b = Avx512F.FusedMultiplyAdd(a7, b1, c7b);
            c7c = Avx512F.FusedMultiplyAdd(a7, b2, c7c);
            packedA += 8;
            packedB += 48;
        }

        StoreRow(c + 0 * ldc, c0a, c0b, c0c, alpha, beta);
        StoreRow(c + 1 * ldc, c1a, c1b, c1c, alpha, beta);
        StoreRow(c + 2 * ldc, c2a, c2b, c2c, alpha, beta);
        StoreRow(c + 3 * ldc, c3a, c3b, c3c, alpha, beta);
        StoreRow(c + 4 * ldc, c4a, c4b, c4c, alpha, beta);
        StoreRow(c + 5 * ldc, c5a, c5b, c5c, alpha, beta);
        StoreRow(c + 6 * ldc, c6a, c6b, c6c, alpha, beta);
        StoreRow(c + 7 * ldc, c7a, c7b, c7c, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> sum0, Vector512<float> sum1, Vector512<float> sum2, float alpha, float beta)
    {
        Vector512<float> scale = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(sum0 * scale, c);
            Vector512.Store(sum1 * scale, c + 16);
            Vector512.Store(sum2 * scale, c + 32);
        }
        else
        {
            Vector512<float> keep = Vector512.Create(beta);
            Vector512.Store(Avx512F.FusedMultiplyAdd(sum0, scale, Vector512.Load(c) * keep), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(sum1, scale, Vector512.Load(c + 16) * keep), c + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(sum2, scale, Vector512.Load(c + 32) * keep), c + 32);
        }
    }
}
