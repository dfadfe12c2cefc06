using Digits.Tensors;
using FsCheck.Xunit;

namespace Digits.Tests.Tensors;

[Collection(WorkerPoolThreadsCollection.Name)]
public class GemmTests
{
    /// <summary>
    /// The awkward sizes: empty, one, below and above a tile and a vector, past one MC row block (257), several
    /// KC depth blocks (650) and one NC column block (2101).
    /// </summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (0, 7, 5), (7, 0, 5), (7, 5, 0), (0, 0, 0),
        (1, 1, 1), (1, 17, 7), (17, 1, 7), (7, 7, 1),
        (7, 17, 63), (17, 7, 65), (63, 65, 7), (65, 63, 17),
        (17, 63, 257), (257, 17, 65), (65, 257, 17), (5, 9, 650), (3, 2101, 5),
    ];

    private static readonly (float Alpha, float Beta)[] Scalings = [(1f, 0f), (-0.75f, 1f), (2f, 0.5f)];

    [Theory]
    [InlineData(nameof(GemmPath.Auto))]
    [InlineData(nameof(GemmPath.Vector512))]
    [InlineData(nameof(GemmPath.Vector256))]
    [InlineData(nameof(GemmPath.Portable))]
    public void Every_path_matches_the_double_reference_for_all_transposes_scalings_and_awkward_sizes(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        if (!Gemm.IsSupported(path))
        {
            return;
        }
        int seed = 0;
        foreach (var (m, n, k) in Shapes)
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    var (alpha, beta) = Scalings[seed % Scalings.Length];
                    int padding = seed % 2 == 0 ? 0 : 3;
                    AssertMatchesReference(path, transA, transB, m, n, k, alpha, beta, padding, seed++);
                }
            }
        }
    }

    [Theory]
    [InlineData(nameof(GemmPath.Auto))]
    [InlineData(nameof(GemmPath.Vector512))]
    [InlineData(nameof(GemmPath.Vector256))]
    [InlineData(nameof(GemmPath.Portable))]
    public void Every_path_applies_each_alpha_and_beta(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        if (!Gemm.IsSupported(path))
        {
            return;
        }
        int seed = 100;
        foreach (var (alpha, beta) in Scalings)
        {
            AssertMatchesReference(path, false, true, 33, 45, 70, alpha, beta, padding: 2, seed++);
            AssertMatchesReference(path, true, false, 45, 33, 7, alpha, beta, padding: 0, seed++);
        }
    }

    [Fact]
    public void Beta_zero_overwrites_NaN_in_C_and_leaves_the_stride_padding_alone()
    {
        const int m = 13, n = 35, k = 9, ldc = n + 4;
        float[] a = Random(m * k, 1), b = Random(k * n, 2);
        float[] c = Enumerable.Repeat(float.NaN, m * ldc).ToArray();
        Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                Assert.Equal(j >= n, float.IsNaN(c[i * ldc + j]));
            }
        }
    }

    [Fact]
    public void Zero_depth_or_zero_alpha_scales_C_by_beta()
    {
        float[] c = [1f, 2f, float.NaN, 4f];
        Gemm.Multiply(false, false, 2, 2, 0, 1f, [], 1, [], 2, 0f, c, 2);
        Assert.Equal(new float[4], c);

        float[] d = [1f, 2f, 3f, 4f];
        Gemm.Multiply(false, false, 2, 2, 1, 0f, [9f, 9f], 1, [9f, 9f], 2, 0.5f, d, 2);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f }, d);
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count()
    {
        foreach (GemmPath path in new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Portable })
        {
            if (!Gemm.IsSupported(path))
            {
                continue;
            }
            foreach (var (m, n, k, transA, transB) in new[] { (301, 203, 299, false, false), (64, 288, 1100, true, false), (130, 130, 600, false, true), (2100, 40, 70, false, true), (9, 13, 6200, true, false) })
            {
                float[] a = Random(m * k, 3), b = Random(k * n, 4), c0 = Random(m * n, 5);
                float[]? single = null;
                foreach (int threads in new[] { 1, 2, 3, 4 })
                {
                    float[] c = (float[])c0.Clone();
                    int saved = WorkerPool.Threads;
                    try
                    {
                        WorkerPool.Threads = threads;
                        Gemm.Multiply(path, transA, transB, m, n, k, 1.5f, a, transA ? m : k, b, transB ? k : n, 0.25f, c, n);
                    }
                    finally
                    {
                        WorkerPool.Threads = saved;
                    }
                    single ??= c;
                    Assert.Equal(single, c);
                }
            }
        }
    }

    [Theory]
    [InlineData(false, false, 0f)]
    [InlineData(true, false, 0.5f)]
    [InlineData(false, true, 0.5f)]
    [InlineData(true, true, 0f)]
    public void Long_depth_products_split_along_K_still_match_the_reference(bool transA, bool transB, float beta)
    {
        Assert.Equal(3, GemmPartition.DepthParts(10, 17, 6500));
        Assert.Equal(1, GemmPartition.DepthParts(512, 512, 6500));
        AssertMatchesReference(GemmPath.Auto, transA, transB, 10, 17, 6500, 0.75f, beta, 3, 9);
    }

    [Property(MaxTest = 60)]
    public bool Random_small_shapes_match_the_reference(byte m, byte n, byte k, bool transA, bool transB, int seed)
    {
        AssertMatchesReference(GemmPath.Auto, transA, transB, m % 40, n % 40, k % 40, 1f, (seed & 1) * 0.5f, seed & 3, seed);
        return true;
    }

    [Fact]
    public void Bad_arguments_throw_and_name_the_argument()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 3, 1f, a, 3, b, 2, 0f, c, 2)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, -1, 3, 1f, a, 3, b, 2, 0f, c, 2)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, -1, 1f, a, 3, b, 2, 0f, c, 2)).ParamName);
        Assert.Equal("lda", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 2, b, 2, 0f, c, 2)).ParamName);
        Assert.Equal("lda", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(true, false, 3, 2, 2, 1f, a, 2, b, 2, 0f, new float[6], 2)).ParamName);
        Assert.Equal("ldb", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, true, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 2)).ParamName);
        Assert.Equal("ldc", Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 1)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a.AsSpan(0, 5), 3, b, 2, 0f, c, 2)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 3, b.AsSpan(0, 5), 2, 0f, c, 2)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, c, 3)).ParamName);
    }

    private static void AssertMatchesReference(GemmPath path, bool transA, bool transB, int m, int n, int k,
        float alpha, float beta, int padding, int seed)
    {
        (int aRows, int aColumns) = transA ? (k, m) : (m, k);
        (int bRows, int bColumns) = transB ? (n, k) : (k, n);
        int lda = Math.Max(1, aColumns + padding), ldb = Math.Max(1, bColumns + padding), ldc = Math.Max(1, n + padding);
        float[] a = Random(Math.Max(0, (aRows - 1) * lda + aColumns), seed * 3 + 1);
        float[] b = Random(Math.Max(0, (bRows - 1) * ldb + bColumns), seed * 3 + 2);
        float[] c = Random(m * ldc, seed * 3 + 3);
        if (beta == 0f)
        {
            Array.Fill(c, float.NaN);
        }
        float[] before = (float[])c.Clone();
        var (expected, magnitude) = GemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        Gemm.Multiply(path, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        double tolerance = 1e-6 * Math.Sqrt(k + 1);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                float actual = c[i * ldc + j];
                if (j >= n)
                {
                    Assert.Equal(before[i * ldc + j], actual);
                    continue;
                }
                double error = Math.Abs(actual - expected[i * n + j]);
                Assert.True(error <= tolerance * magnitude[i * n + j] + 1e-30,
                    $"{path} transA={transA} transB={transB} {m}×{n}×{k} alpha={alpha} beta={beta}: C[{i},{j}] = {actual}, expected {expected[i * n + j]}");
            }
        }
    }

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return values;
    }
}
