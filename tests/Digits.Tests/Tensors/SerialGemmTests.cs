using Digits.Tensors;

namespace Digits.Tests.Tensors;

public class SerialGemmTests
{
    /// <summary>
    /// Row counts that are multiples of 8 but not of 12 take the 8×48 kernel on AVX-512 (the convolutions' M);
    /// the others take the 12×32 one. Columns around 48 and depths past one KC block cover the edge tiles.
    /// </summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (8, 1, 1), (8, 47, 7), (16, 49, 65), (64, 576, 288), (64, 288, 577), (40, 97, 650), (12, 48, 9), (7, 17, 63),
    ];

    [Fact]
    public unsafe void Matches_the_double_reference_for_all_transposes_and_scalings()
    {
        int seed = 0;
        foreach (var (m, n, k) in Shapes)
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    float alpha = seed % 2 == 0 ? 1f : -0.75f, beta = seed % 3 == 0 ? 0f : 0.5f;
                    (int aRows, int aColumns) = transA ? (k, m) : (m, k);
                    (int bRows, int bColumns) = transB ? (n, k) : (k, n);
                    float[] a = Random(aRows * aColumns, seed * 3 + 1);
                    float[] b = Random(bRows * bColumns, seed * 3 + 2);
                    float[] c = Random(m * n, seed * 3 + 3);
                    var (expected, magnitude) = GemmReference.Multiply(transA, transB, m, n, k, alpha, a, aColumns, b, bColumns, beta, c, n);
                    fixed (float* pa = a, pb = b, pc = c)
                    {
                        SerialGemm.Multiply(transA, transB, m, n, k, alpha, pa, aColumns, pb, bColumns, beta, pc, n);
                    }
                    double tolerance = 1e-6 * Math.Sqrt(k + 1);
                    for (int i = 0; i < m * n; i++)
                    {
                        Assert.True(Math.Abs(c[i] - expected[i]) <= tolerance * magnitude[i] + 1e-30,
                            $"transA={transA} transB={transB} {m}×{n}×{k}: C[{i}] = {c[i]}, expected {expected[i]}");
                    }
                    seed++;
                }
            }
        }
    }

    [Fact]
    public void On_this_thread_gives_the_same_bits_as_the_parallel_product_and_checks_its_spans()
    {
        int seed = 100;
        foreach (var (m, n, k) in Shapes)
        {
            float[] a = Random(m * k, seed++), b = Random(n * k, seed++);
            float[] parallel = new float[m * n], serial = new float[m * n];
            Gemm.Multiply(false, true, m, n, k, 1f, a, k, b, k, 0f, parallel, n);
            Gemm.MultiplyOnThisThread(false, true, m, n, k, 1f, a, k, b, k, 0f, serial, n);
            Assert.Equal(parallel, serial);
        }
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyOnThisThread(false, true, 4, 4, 4, 1f, new float[15], 4, new float[16], 4, 0f, new float[16], 4));
    }

    private static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
    }
}
