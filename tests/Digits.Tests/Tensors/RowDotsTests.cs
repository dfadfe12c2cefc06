using Digits.Tensors;

namespace Digits.Tests.Tensors;

public class RowDotsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(4, 4, 16)]
    [InlineData(24, 25, 576)]
    [InlineData(32, 216, 600)]
    [InlineData(7, 17, 63)]
    [InlineData(5, 3, 65)]
    [InlineData(9, 6, 0)]
    public unsafe void Row_dot_products_match_a_double_precision_reference(int m, int n, int k)
    {
        if (!RowDots.IsSupported)
        {
            return;
        }
        // padded leading dimensions, so that reading a row never strays into the next one unnoticed
        int lda = k + 3, ldb = k + 5, ldc = n + 2;
        float[] a = ImageColumnsTests.Random(m * lda, 21), b = ImageColumnsTests.Random(n * ldb, 22);
        float[] c = ImageColumnsTests.Random(m * ldc, 23), original = (float[])c.Clone();
        fixed (float* pa = a, pb = b, pc = c)
        {
            RowDots.MultiplyTransposed(pa, lda, pb, ldb, m, n, k, pc, ldc, accumulate: true);
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                if (j >= n)
                {
                    Assert.Equal(original[i * ldc + j], c[i * ldc + j]);
                    continue;
                }
                double expected = original[i * ldc + j];
                for (int p = 0; p < k; p++)
                {
                    expected += (double)a[i * lda + p] * b[j * ldb + p];
                }
                Assert.Equal(expected, c[i * ldc + j], 1e-3);
            }
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            RowDots.MultiplyTransposed(pa, lda, pb, ldb, m, n, k, pc, ldc, accumulate: false);
        }
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                for (int p = 0; p < k; p++)
                {
                    expected += (double)a[i * lda + p] * b[j * ldb + p];
                }
                Assert.Equal(expected, c[i * ldc + j], 1e-3);
            }
        }
    }
}
