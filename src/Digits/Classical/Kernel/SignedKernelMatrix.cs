using System.Numerics.Tensors;

namespace Digits.Classical;

/// <summary>
/// The matrix Q of a two-class SVM dual, Q_ij = y_i·y_j·k(x_i, x_j), served row by row from a <see cref="KernelCache"/>.
/// Missing rows are computed a block at a time (<see cref="ComputeRows"/>): one GEMM of the block's points against all
/// n points costs little more than one row, because a single row is a matrix-vector product bound by memory bandwidth
/// while a block reuses each training vector from cache for every row in it.
/// </summary>
/// <remarks>Not thread-safe: each solver owns one. Rows are always full length (all n points).</remarks>
public sealed class SignedKernelMatrix
{
    private readonly SvmKernel kernel;
    private readonly float[] features;
    private readonly float[] norms;
    private readonly float[] labels;
    private readonly float[] negatedLabels;
    private readonly KernelCache cache;
    private readonly bool parallel;
    private readonly int[] missing;
    private float[] blockFeatures = [];
    private float[] blockNorms = [];
    private float[] blockValues = [];

    /// <param name="features">n points of <paramref name="dimension"/> floats, row-major; kept, not copied.</param>
    /// <param name="labels">+1 or −1 per point.</param>
    /// <param name="cacheBytes">The row cache's byte bound.</param>
    /// <param name="parallel">Whether GEMMs may use the worker pool (see <see cref="SvmKernel.Block"/>).</param>
    public SignedKernelMatrix(SvmKernel kernel, float[] features, int dimension, ReadOnlySpan<sbyte> labels,
        long cacheBytes, bool parallel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(features);
        int n = labels.Length;
        if ((long)n * dimension != features.Length)
            throw new ArgumentException($"{n} labels need {(long)n * dimension} features, found {features.Length}", nameof(features));
        this.kernel = kernel;
        this.features = features;
        Dimension = dimension;
        norms = new float[n];
        SvmKernel.SquaredNorms(features, n, dimension, norms);
        this.labels = new float[n];
        negatedLabels = new float[n];
        Diagonal = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (labels[i] is not (1 or -1))
                throw new ArgumentException($"label {labels[i]} at {i} is not +1 or -1", nameof(labels));
            this.labels[i] = labels[i];
            negatedLabels[i] = -labels[i];
            Diagonal[i] = kernel.SelfValue(norms[i]);
        }
        cache = new KernelCache(n, n, cacheBytes);
        this.parallel = parallel;
        missing = new int[n];
    }

    public int Count => norms.Length;

    public int Dimension { get; }

    /// <summary>Q_ii = k(x_i, x_i) for every i.</summary>
    public double[] Diagonal { get; }

    /// <summary>
    /// The most rows a block may hold, so that filling a block never evicts the row the caller is using (one less than
    /// the cache capacity; 1 for a one-point problem).
    /// </summary>
    public int MaxBlockRows => Math.Max(1, cache.Capacity - 1);

    /// <summary>Rows computed so far (cache misses filled), for diagnostics.</summary>
    public long RowsComputed { get; private set; }

    public KernelCache Cache => cache;

    public bool IsCached(int index) => cache.Contains(index);

    /// <summary>Row <paramref name="index"/> of Q (n floats), computed alone if it is not cached.</summary>
    public ReadOnlySpan<float> Row(int index)
    {
        if (cache.TryGet(index, out float[] row))
            return row;
        ComputeRows([index]);
        cache.TryGet(index, out row);
        return row;
    }

    /// <summary>
    /// Computes and caches those of <paramref name="indices"/> (at most <see cref="MaxBlockRows"/>) not cached yet,
    /// with one GEMM.
    /// </summary>
    public void ComputeRows(ReadOnlySpan<int> indices)
    {
        int count = 0;
        foreach (int index in indices)
        {
            if (!cache.Contains(index))
                missing[count++] = index;
        }
        if (count == 0)
            return;
        if (count > MaxBlockRows)
            throw new ArgumentException($"{count} rows exceed the block limit of {MaxBlockRows}", nameof(indices));
        int n = Count, d = Dimension;
        EnsureBlockCapacity(count);
        for (int b = 0; b < count; b++)
        {
            int index = missing[b];
            features.AsSpan(index * d, d).CopyTo(blockFeatures.AsSpan(b * d, d));
            blockNorms[b] = norms[index];
        }
        kernel.Block(blockFeatures, blockNorms, count, features, norms, n, d, blockValues, parallel);
        for (int b = 0; b < count; b++)
        {
            int index = missing[b];
            float[] row = cache.Insert(index);
            TensorPrimitives.Multiply(blockValues.AsSpan(b * n, n), labels[index] > 0 ? labels : negatedLabels, row);
        }
        RowsComputed += count;
    }

    private void EnsureBlockCapacity(int rows)
    {
        if (blockNorms.Length >= rows)
            return;
        int capacity = Math.Max(rows, Math.Min(2 * blockNorms.Length, MaxBlockRows));
        blockFeatures = new float[capacity * Dimension];
        blockNorms = new float[capacity];
        blockValues = new float[checked(capacity * Count)];
    }
}
