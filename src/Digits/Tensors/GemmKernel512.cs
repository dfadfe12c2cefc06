using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// AVX-512F micro-kernel: a 12×32 tile of C held in 24 zmm accumulators (two per row), 27 of the 32 zmm
/// registers with the two B vectors and one broadcast A value. Per depth step: 2 loads of B, 12 broadcasts of A
/// and 24 independent FMAs, enough to keep two 512-bit FMA pipes busy through a 4-cycle FMA latency.
/// Chosen on <see cref="Avx512F.IsSupported"/>, not <c>Vector512.IsHardwareAccelerated</c>: on some Intel Xeons
/// .NET reports the latter as false although 512-bit FMA is about 1.5× faster there.
/// </summary>
internal readonly unsafe struct GemmKernel512 : IGemmMicroKernel
{
    public static int TileRows => 12;
    public static int TileColumns => 32;
    public static int BlockDepth => 256;
    public static int BlockRows => 144;
    public static int BlockColumns => 2048;

    /// <summary>Compiled fully optimized at once, so early calls never run an unoptimized tier-0 copy of the loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int depth, float* packedA, float* packedB, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float>
            c0a = default, c0b = default,
            c1a = default, c1b = default,
            c2a = default, c2b = default,
            c3a = default, c3b = default,
            c4a = default, c4b = default,
            c5a = default, c5b = default,
            c6a = default, c6b = default,
            c7a = default, c7b = default,
            c8a = default, c8b = default,
            c9a = default, c9b = default,
            c10a = default, c10b = default,
            c11a = default, c11b = default;
        for (int p = 0; p < depth; p++)
        {
            Vector512<float> b0 = Vector512.Load(packedB);
            Vector512<float> b1 = Vector512.Load(packedB + 16);
            Vector512<float> a0 = Vector512.Create(packedA[0]);
            c0a = Avx512F.FusedMultiplyAdd(a0, b0, c0a);
            c0b = Avx512F.FusedMultiplyAdd(a0, b1, c0b);
            Vector512<float> a1 = Vector512.Create(packedA[1]);
            c1a = Avx512F.FusedMultiplyAdd(a1, b0, c1a);
            c1b = Avx512F.FusedMultiplyAdd(a1, b1, c1b);
            Vector512<float> a2 = Vector512.Create(packedA[2]);
            c2a = Avx512F.FusedMultiplyAdd(a2, b0, c2a);
            c2b = Avx512F.FusedMultiplyAdd(a2, b1, c2b);
            Vector512<float> a3 = Vector512.Create(packedA[3]);
            c3a = Avx512F.FusedMultiplyAdd(a3, b0, c3a);
            c3b = Avx512F.FusedMultiplyAdd(a3, b1, c3b);
            Vector512<float> a4 = Vector512.Create(packedA[4]);
            c4a = Avx512F.FusedMultiplyAdd(a4, b0, c4a);
            c4b = Avx512F.FusedMultiplyAdd(a4, b1, c4b);
            Vector512<float> a5 = Vector512.Create(packedA[5]);
            c5a = Avx512F.FusedMultiplyAdd(a5, b0, c5a);
            c5b = Avx512F.FusedMultiplyAdd(a5, b1, c5b);
            Vector512<float> a6 = Vector512.Create(packedA[6]);
            c6a = Avx512F.FusedMultiplyAdd(a6, b0, c6a);
            c6b = Avx512F.FusedMultiplyAdd(a6, b1, c6b);
            Vector512<float> a7 = Vector512.Create(packedA[7]);
            c7a = Avx512F.FusedMultiplyAdd(a7, b0, c7a);
            c7b = Avx512F.FusedMultiplyAdd(a7, b1, c7b);
            Vector512<float> a8 = Vector512.Create(packedA[8]);
            c8a = Avx512F.FusedMultiplyAdd(a8, b0, c8a);
            c8b = Avx512F.FusedMultiplyAdd(a8, b1, c8b);
            Vector512<float> a9 = Vector512.Create(packedA[9]);
            c9a = Avx512F.FusedMultiplyAdd(a9, b0, c9a);
            c9b = Avx512F.FusedMultiplyAdd(a9, b1, c9b);
            Vector512<float> a10 = Vector512.Create(packedA[10]);
            c10a = Avx512F.FusedMultiplyAdd(a10, b0, c10a);
            c10b = Avx512F.FusedMultiplyAdd(a10, b1, c10b);
            Vector512<float> a11 = Vector512.Create(packedA[11]);
            c11a = Avx512F.FusedMultiplyAdd(a11, b0, c11a);
            c11b = Avx512F.FusedMultiplyAdd(a11, b1, c11b);
            packedA += 12;
            packedB += 32;
        }

        StoreRow(c + 0 * ldc, c0a, c0b, alpha, beta);
        StoreRow(c + 1 * ldc, c1a, c1b, alpha, beta);
        StoreRow(c + 2 * ldc, c2a, c2b, alpha, beta);
        StoreRow(c + 3 * ldc, c3a, c3b, alpha, beta);
        StoreRow(c + 4 * ldc, c4a, c4b, alpha, beta);
        StoreRow(c + 5 * ldc, c5a, c5b, alpha, beta);
        StoreRow(c + 6 * ldc, c6a, c6b, alpha, beta);
        StoreRow(c + 7 * ldc, c7a, c7b, alpha, beta);
        StoreRow(c + 8 * ldc, c8a, c8b, alpha, beta);
        StoreRow(c + 9 * ldc, c9a, c9b, alpha, beta);
        StoreRow(c + 10 * ldc, c10a, c10b, alpha, beta);
        StoreRow(c + 11 * ldc, c11a, c11b, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> sum0, Vector512<float> sum1, float alpha, float beta)
    {
        Vector512<float> scale = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(sum0 * scale, c);
            Vector512.Store(sum1 * scale, c + 16);
        }
        else
        {
            Vector512<float> keep = Vector512.Create(beta);
            Vector512.Store(Avx512F.FusedMultiplyAdd(sum0, scale, Vector512.Load(c) * keep), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(sum1, scale, Vector512.Load(c + 16) * keep), c + 16);
        }
    }
}
