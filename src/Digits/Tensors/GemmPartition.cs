namespace Digits.Tensors;

/// <summary>
/// Splits C into a grid of rectangles, one per thread, along whole micro-tiles of M and N, and runs them on
/// <see cref="WorkerPool"/>. Products with a small C and a long K are split along K instead, into a number of parts
/// that depends on the shape alone, whose partial products are summed in part order; either way the result does not
/// depend on the thread count.
/// </summary>
internal static unsafe class GemmPartition
{
    /// <summary>
    /// Below this many floating-point operations (2·M·N·K) one thread runs the whole product. A WorkerPool round
    /// trip costs 2-11 µs (`Digits.Bench -- quick`), and 4 MFLOP take about 25 µs on one Zen 5 core, so below this
    /// a second thread saves less than it costs. Settable so that the bench can time both sides of it.
    /// </summary>
    internal static long ParallelThresholdFlops { get; set; } = 4_000_000;

    /// <summary>
    /// Cost of packing one element, in flops of kernel time, for choosing the grid: each thread packs the whole
    /// depth of its rows of A and its columns of B.
    /// </summary>
    private const long PackCostInFlops = 32;

    /// <summary>
    /// When every thread would get at least this many rows even after cutting rows into
    /// <see cref="PartsPerThread"/> parts per thread, rows are cut that finely, so a thread slowed by other
    /// processes hands its remaining parts to the others. Each part packs all of op(B) again, so parts must be tall
    /// enough to amortise that: 256 rows make it under 1/16 of the part's work.
    /// </summary>
    private const int MinimumRowsPerPart = 256;

    private const int PartsPerThread = 4;

    /// <summary>A depth part is at least this long, so that loading and storing its partial C is small beside it.</summary>
    private const int MinimumPartDepth = 2048;

    /// <summary>At most this many depth parts: enough to balance 2-16 threads.</summary>
    private const int MaximumDepthParts = 16;

    /// <summary>
    /// The number of parts K is split into: 1 unless K is at least 16 times the larger side of C (a weight gradient
    /// over many images, or a dense layer over 9,216 inputs). Splitting the grid of C there makes every thread pack
    /// and stream the whole of one long operand; splitting K makes each thread stream only its own part of both.
    /// </summary>
    internal static int DepthParts(int m, int n, int k) =>
        k < 16L * Math.Max(m, n) ? 1 : Math.Clamp(k / MinimumPartDepth, 1, MaximumDepthParts);

    public static void Run<TKernel>(in GemmOperands op) where TKernel : IGemmMicroKernel
    {
        int depthParts = DepthParts(op.M, op.N, op.K);
        if (depthParts > 1)
        {
            RunDepthParts<TKernel>(op, depthParts);
            return;
        }
        int threads = 2L * op.M * op.N * op.K < ParallelThresholdFlops ? 1 : WorkerPool.Threads;
        (int rowParts, int columnParts) = ChooseGrid(op.M, op.N, op.K, threads, TKernel.TileRows, TKernel.TileColumns);
        if (threads > 1 && op.M / (rowParts * PartsPerThread) >= MinimumRowsPerPart)
        {
            rowParts *= PartsPerThread;
        }
        if (rowParts * columnParts == 1)
        {
            GemmDriver<TKernel>.MultiplyRectangle(op, 0, op.M, 0, op.N);
            return;
        }
        WorkerPool.For(rowParts * columnParts, new Rectangles<TKernel>(op, rowParts, columnParts));
    }

    /// <summary>
    /// C = alpha · Σ (parts of op(A) · op(B) over K) + beta · C: each part multiplies its range of K into its own
    /// M×N buffer (one work item each), then the buffers are added in part order, rows spread over the threads.
    /// </summary>
    private static void RunDepthParts<TKernel>(in GemmOperands op, int parts) where TKernel : IGemmMicroKernel
    {
        int size = op.M * op.N;
        float[] rented = System.Buffers.ArrayPool<float>.Shared.Rent(parts * size);
        try
        {
            fixed (float* partials = rented)
            {
                WorkerPool.For(parts, new DepthPart<TKernel>(op, parts, partials));
                int rowBlocks = Math.Min(op.M, Convolution.MaxChunks);
                WorkerPool.For(rowBlocks, new SumParts(op, parts, partials, rowBlocks));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
    }

    private readonly struct DepthPart<TKernel>(GemmOperands op, int parts, float* partials) : IParallelBody
        where TKernel : IGemmMicroKernel
    {
        private readonly GemmOperands op = op;

        public void Run(int part)
        {
            int start = (int)((long)op.K * part / parts), end = (int)((long)op.K * (part + 1) / parts);
            var slice = new GemmOperands(op.M, op.N, end - start, 1f,
                op.A + start * op.ADepthStride, op.ARowStride, op.ADepthStride,
                op.B + start * op.BDepthStride, op.BDepthStride, op.BColumnStride,
                0f, partials + (nint)part * op.M * op.N, op.N);
            GemmDriver<TKernel>.MultiplyRectangle(slice, 0, op.M, 0, op.N);
        }
    }

    private readonly struct SumParts(GemmOperands op, int parts, float* partials, int rowBlocks) : IParallelBody
    {
        private readonly GemmOperands op = op;

        public void Run(int block)
        {
            int first = (int)((long)op.M * block / rowBlocks), end = (int)((long)op.M * (block + 1) / rowBlocks);
            nint size = (nint)op.M * op.N;
            for (int i = first; i < end; i++)
            {
                var row = new Span<float>(partials + (nint)i * op.N, op.N);
                for (int part = 1; part < parts; part++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(row, new ReadOnlySpan<float>(partials + part * size + (nint)i * op.N, op.N), row);
                }
                var c = new Span<float>(op.C + i * op.CRowStride, op.N);
                if (op.Beta == 0f)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(row, op.Alpha, c);
                }
                else
                {
                    // alpha · sum + beta · C, in that order
                    System.Numerics.Tensors.TensorPrimitives.Multiply(c, op.Beta, c);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(row, op.Alpha, c, c);
                }
            }
        }
    }

    /// <summary>
    /// The grid (row parts × column parts ≤ threads) that minimises the largest rectangle's cost: padded kernel
    /// flops plus packing.
    /// </summary>
    internal static (int RowParts, int ColumnParts) ChooseGrid(int m, int n, int k, int threads, int tileRows, int tileColumns)
    {
        int rowTiles = (m + tileRows - 1) / tileRows, columnTiles = (n + tileColumns - 1) / tileColumns;
        (int, int) best = (1, 1);
        long bestCost = long.MaxValue;
        for (int rowParts = 1; rowParts <= Math.Min(threads, rowTiles); rowParts++)
        {
            int columnParts = Math.Min(threads / rowParts, columnTiles);
            long rows = (long)((rowTiles + rowParts - 1) / rowParts) * tileRows;
            long columns = (long)((columnTiles + columnParts - 1) / columnParts) * tileColumns;
            long cost = (2 * rows * columns + PackCostInFlops * (rows + columns)) * k;
            if (cost < bestCost)
            {
                bestCost = cost;
                best = (rowParts, columnParts);
            }
        }
        return best;
    }

    /// <summary>Rectangle <c>index</c> of a rowParts × columnParts grid, with tile-aligned, balanced bounds.</summary>
    private readonly struct Rectangles<TKernel>(GemmOperands op, int rowParts, int columnParts) : IParallelBody
        where TKernel : IGemmMicroKernel
    {
        private readonly GemmOperands op = op;

        public void Run(int index)
        {
            (int rowPart, int columnPart) = Math.DivRem(index, columnParts);
            (int rowStart, int rowEnd) = Bounds(op.M, TKernel.TileRows, rowPart, rowParts);
            (int columnStart, int columnEnd) = Bounds(op.N, TKernel.TileColumns, columnPart, columnParts);
            GemmDriver<TKernel>.MultiplyRectangle(op, rowStart, rowEnd, columnStart, columnEnd);
        }

        private static (int Start, int End) Bounds(int length, int tile, int part, int parts)
        {
            int tiles = (length + tile - 1) / tile;
            int start = (int)((long)tiles * part / parts) * tile;
            int end = (int)((long)tiles * (part + 1) / parts) * tile;
            return (start, Math.Min(end, length));
        }
    }
}
