using System.Numerics.Tensors;
using Digits.Tensors;

namespace Digits.Classical;

/// <summary>
/// A Mercer kernel k(x, y) for the kernel SVM, evaluated a block at a time: the dot products of every row of one
/// feature matrix with every row of another come from one GEMM, and the kernel is then a cheap elementwise
/// function of those dot products and the rows' squared norms. One GEMM over many rows streams the training
/// matrix through the cache once instead of once per row, which is what makes kernel rows fast.
/// </summary>
public abstract class SvmKernel
{
    /// <summary>The architecture-JSON name of the kernel: <c>rbf</c> or <c>poly</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// destination[r·columnCount + c] = k(rows[r], columns[c]). rows is (rowCount, dimension), columns is
    /// (columnCount, dimension), both row-major; the norms are the rows' squared Euclidean norms;
    /// destination is (rowCount, columnCount).
    /// </summary>
    /// <param name="parallel">
    /// Whether the GEMM may use <see cref="WorkerPool"/>. Pass false from threads that already run in parallel
    /// with each other (one-vs-one pairs), so that the machine is not oversubscribed.
    /// </param>
    public void Block(ReadOnlySpan<float> rows, ReadOnlySpan<float> rowNorms, int rowCount,
        ReadOnlySpan<float> columns, ReadOnlySpan<float> columnNorms, int columnCount, int dimension,
        Span<float> destination, bool parallel)
    {
        if (rowCount == 0 || columnCount == 0)
            return;
        DotProducts(rows, rowCount, columns, columnCount, dimension, destination, parallel);
        for (int r = 0; r < rowCount; r++)
            FromDotProducts(destination.Slice(r * columnCount, columnCount), rowNorms[r], columnNorms[..columnCount]);
    }

    /// <summary>
    /// Turns one row of dot products x·y_c in place into kernel values k(x, y_c), given ‖x‖² and every ‖y_c‖².
    /// </summary>
    protected abstract void FromDotProducts(Span<float> dots, float rowNorm, ReadOnlySpan<float> columnNorms);

    /// <summary>k(x, x) from ‖x‖²: the diagonal of the kernel matrix, which the solver needs for every point.</summary>
    public abstract double SelfValue(float squaredNorm);

    /// <summary>k(x, y) by the textbook formula in double precision: the reference the block form is tested against.</summary>
    public abstract double Naive(ReadOnlySpan<float> x, ReadOnlySpan<float> y);

    /// <summary>The kernel's parameters as a JSON object body, e.g. <c>"kernel": "rbf", "gamma": 0.05</c>.</summary>
    public abstract string ParametersJson();

    /// <summary>Squared Euclidean norms of <paramref name="count"/> rows of length <paramref name="dimension"/>.</summary>
    public static void SquaredNorms(ReadOnlySpan<float> rows, int count, int dimension, Span<float> norms)
    {
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * dimension, dimension);
            norms[i] = TensorPrimitives.Dot(row, row);
        }
    }

    private static unsafe void DotProducts(ReadOnlySpan<float> rows, int rowCount, ReadOnlySpan<float> columns,
        int columnCount, int dimension, Span<float> destination, bool parallel)
    {
        if (parallel)
        {
            Gemm.Multiply(false, true, rowCount, columnCount, dimension, 1f, rows, dimension, columns, dimension,
                0f, destination, columnCount);
            return;
        }
        if ((long)rowCount * dimension > rows.Length || (long)columnCount * dimension > columns.Length
            || (long)rowCount * columnCount > destination.Length)
        {
            throw new ArgumentException("a span is shorter than its shape");
        }
        fixed (float* a = rows, b = columns, c = destination)
            SerialGemm.Multiply(false, true, rowCount, columnCount, dimension, 1f, a, dimension, b, dimension, 0f, c, columnCount);
    }
}
