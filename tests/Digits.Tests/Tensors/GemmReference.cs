namespace Digits.Tests.Tensors;

/// <summary>The plain definition of GEMM, accumulated in double, that every fast path is compared with.</summary>
internal static class GemmReference
{
    /// <summary>
    /// Returns alpha·op(A)·op(B) + beta·C (beta == 0 ignores C) and, per element, the magnitude
    /// |alpha|·Σ|a·b| + |beta·c| that bounds its rounding error.
    /// </summary>
    public static (double[] Expected, double[] Magnitude) Multiply(bool transA, bool transB, int m, int n, int k,
        float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        var expected = new double[m * n];
        var magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, size = 0;
                for (int p = 0; p < k; p++)
                {
                    double product = (double)(transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                    sum += product;
                    size += Math.Abs(product);
                }
                double old = beta == 0 ? 0 : (double)beta * c[i * ldc + j];
                expected[i * n + j] = alpha * sum + old;
                magnitude[i * n + j] = Math.Abs(alpha) * size + Math.Abs(old);
            }
        }
        return (expected, magnitude);
    }
}
