using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// C (M×N) = A (M×K) · B (N×K)ᵀ (+ C) with both operands read in place along K: every C element is the dot product
/// of a row of A and a row of B. This is a convolution's weight gradient, output gradients times im2col columns,
/// where M and N are a few dozen and K is a few hundred pixels. There a packed GEMM spends more time packing than
/// multiplying, since each packed float is used only M or N times; here 4×4 blocks of C are summed in 16
/// registers straight from the rows, and each block is reduced once at the end.
/// </summary>
internal static unsafe class RowDots
{
    private const int Block = 4;

    /// <summary>Whether the vector path runs here (512-bit vectors); callers use the GEMM otherwise.</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>
    /// c[i·ldc + j] = (accumulate ? c[i·ldc + j] : 0) + Σₚ a[i·lda + p] · b[j·ldb + p], for i &lt; m, j &lt; n, p &lt; k.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyTransposed(float* a, int lda, float* b, int ldb, int m, int n, int k, float* c, int ldc, bool accumulate)
    {
        int i = 0;
        for (; i + Block <= m; i += Block)
        {
            int j = 0;
            for (; j + Block <= n; j += Block)
            {
                FourByFour(a + (nint)i * lda, lda, b + (nint)j * ldb, ldb, k, c + (nint)i * ldc + j, ldc, accumulate);
            }
            for (; j < n; j++)
            {
                for (int r = 0; r < Block; r++)
                {
                    Single(a + (nint)(i + r) * lda, b + (nint)j * ldb, k, c + (nint)(i + r) * ldc + j, accumulate);
                }
            }
        }
        for (; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Single(a + (nint)i * lda, b + (nint)j * ldb, k, c + (nint)i * ldc + j, accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourByFour(float* a, int lda, float* b, int ldb, int k, float* c, int ldc, bool accumulate)
    {
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        float* b0 = b, b1 = b + ldb, b2 = b + 2 * ldb, b3 = b + 3 * ldb;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            Vector512<float> x0 = Vector512.Load(a0 + p), x1 = Vector512.Load(a1 + p), x2 = Vector512.Load(a2 + p), x3 = Vector512.Load(a3 + p);
            Vector512<float> y = Vector512.Load(b0 + p);
            c00 = Avx512F.FusedMultiplyAdd(x0, y, c00); c10 = Avx512F.FusedMultiplyAdd(x1, y, c10);
            c20 = Avx512F.FusedMultiplyAdd(x2, y, c20); c30 = Avx512F.FusedMultiplyAdd(x3, y, c30);
            y = Vector512.Load(b1 + p);
            c01 = Avx512F.FusedMultiplyAdd(x0, y, c01); c11 = Avx512F.FusedMultiplyAdd(x1, y, c11);
            c21 = Avx512F.FusedMultiplyAdd(x2, y, c21); c31 = Avx512F.FusedMultiplyAdd(x3, y, c31);
            y = Vector512.Load(b2 + p);
            c02 = Avx512F.FusedMultiplyAdd(x0, y, c02); c12 = Avx512F.FusedMultiplyAdd(x1, y, c12);
            c22 = Avx512F.FusedMultiplyAdd(x2, y, c22); c32 = Avx512F.FusedMultiplyAdd(x3, y, c32);
            y = Vector512.Load(b3 + p);
            c03 = Avx512F.FusedMultiplyAdd(x0, y, c03); c13 = Avx512F.FusedMultiplyAdd(x1, y, c13);
            c23 = Avx512F.FusedMultiplyAdd(x2, y, c23); c33 = Avx512F.FusedMultiplyAdd(x3, y, c33);
        }
        float* sums = stackalloc float[Block * Block];
        sums[0] = Vector512.Sum(c00); sums[1] = Vector512.Sum(c01); sums[2] = Vector512.Sum(c02); sums[3] = Vector512.Sum(c03);
        sums[4] = Vector512.Sum(c10); sums[5] = Vector512.Sum(c11); sums[6] = Vector512.Sum(c12); sums[7] = Vector512.Sum(c13);
        sums[8] = Vector512.Sum(c20); sums[9] = Vector512.Sum(c21); sums[10] = Vector512.Sum(c22); sums[11] = Vector512.Sum(c23);
        sums[12] = Vector512.Sum(c30); sums[13] = Vector512.Sum(c31); sums[14] = Vector512.Sum(c32); sums[15] = Vector512.Sum(c33);
        for (int r = 0; r < Block; r++)
        {
            float* aRow = a + (nint)r * lda;
            for (int s = 0; s < Block; s++)
            {
                float* bRow = b + (nint)s * ldb;
                float total = sums[r * Block + s];
                for (int q = p; q < k; q++)
                {
                    total += aRow[q] * bRow[q];
                }
                float* target = c + (nint)r * ldc + s;
                *target = accumulate ? *target + total : total;
            }
        }
    }

    private static void Single(float* a, float* b, int k, float* c, bool accumulate)
    {
        Vector512<float> sum = default;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            sum = Avx512F.FusedMultiplyAdd(Vector512.Load(a + p), Vector512.Load(b + p), sum);
        }
        float total = Vector512.Sum(sum);
        for (; p < k; p++)
        {
            total += a[p] * b[p];
        }
        *c = accumulate ? *c + total : total;
    }
}
