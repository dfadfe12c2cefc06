using Digits.Classical;
using FsCheck.Xunit;

namespace Digits.Tests.Classical;

public class SvmKernelTests
{
    [Property(MaxTest = 80)]
    public bool Rbf_blocks_from_GEMM_match_the_naive_formula(byte rows, byte columns, byte dimension, int seed)
    {
        var kernel = new RbfKernel(0.05 + (seed & 7) * 0.3);
        AssertBlockMatchesNaive(kernel, 1 + rows % 9, 1 + columns % 40, 1 + dimension % 70, seed);
        return true;
    }

    [Property(MaxTest = 80)]
    public bool Polynomial_blocks_from_GEMM_match_the_naive_formula(byte rows, byte columns, byte dimension, int seed)
    {
        var kernel = new PolynomialKernel(0.5 + (seed & 3) * 0.25, coef0: (seed & 4) == 0 ? 0 : 1, degree: 1 + (seed & 0x30) / 16);
        AssertBlockMatchesNaive(kernel, 1 + rows % 9, 1 + columns % 40, 1 + dimension % 70, seed);
        return true;
    }

    [Fact]
    public void Rbf_of_a_point_with_itself_is_exactly_one_despite_rounding()
    {
        var kernel = new RbfKernel(0.05);
        float[] x = Enumerable.Range(0, 784).Select(i => (i * 37 % 255) / 255f).ToArray();
        float[] norm = [0];
        SvmKernel.SquaredNorms(x, 1, 784, norm);
        float[] value = [0];

        kernel.Block(x, norm, 1, x, norm, 1, 784, value, parallel: false);

        Assert.True(value[0] <= 1f && value[0] > 1f - 1e-5f, $"k(x, x) = {value[0]}");
        Assert.Equal(1.0, kernel.SelfValue(norm[0]));
    }

    [Fact]
    public void Parallel_and_serial_GEMM_give_bit_identical_blocks()
    {
        var kernel = new RbfKernel(0.05);
        var rng = new Rng(4);
        int rows = 70, columns = 300, dimension = 784;
        float[] a = RandomUnit(rows * dimension, rng), b = RandomUnit(columns * dimension, rng);
        float[] aNorms = new float[rows], bNorms = new float[columns];
        SvmKernel.SquaredNorms(a, rows, dimension, aNorms);
        SvmKernel.SquaredNorms(b, columns, dimension, bNorms);
        float[] parallel = new float[rows * columns], serial = new float[rows * columns];

        kernel.Block(a, aNorms, rows, b, bNorms, columns, dimension, parallel, parallel: true);
        kernel.Block(a, aNorms, rows, b, bNorms, columns, dimension, serial, parallel: false);

        Assert.Equal(serial.Select(BitConverter.SingleToInt32Bits), parallel.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Kernel_parameters_are_checked_by_name()
    {
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new RbfKernel(0)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new RbfKernel(double.NaN)).ParamName);
        Assert.Equal("degree", Assert.Throws<ArgumentOutOfRangeException>(() => new PolynomialKernel(1, 0, 0)).ParamName);
        Assert.Equal("coef0", Assert.Throws<ArgumentOutOfRangeException>(() => new PolynomialKernel(1, double.PositiveInfinity, 2)).ParamName);
    }

    private static void AssertBlockMatchesNaive(SvmKernel kernel, int rows, int columns, int dimension, int seed)
    {
        var rng = new Rng((ulong)seed);
        float[] a = RandomUnit(rows * dimension, rng), b = RandomUnit(columns * dimension, rng);
        float[] aNorms = new float[rows], bNorms = new float[columns];
        SvmKernel.SquaredNorms(a, rows, dimension, aNorms);
        SvmKernel.SquaredNorms(b, columns, dimension, bNorms);
        var block = new float[rows * columns];

        kernel.Block(a, aNorms, rows, b, bNorms, columns, dimension, block, parallel: false);

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double expected = kernel.Naive(a.AsSpan(r * dimension, dimension), b.AsSpan(c * dimension, dimension));
                double error = Math.Abs(block[r * columns + c] - expected);
                Assert.True(error <= 1e-5 * Math.Max(1, Math.Abs(expected)),
                    $"{kernel.Name} k[{r},{c}] = {block[r * columns + c]}, naive {expected}, dimension {dimension}");
            }
        }
    }

    private static float[] RandomUnit(int count, Rng rng)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = rng.NextFloat();
        return values;
    }
}
