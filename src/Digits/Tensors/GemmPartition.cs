namespace Digits.Tensors;

/// <summary>
/// Splits C into a grid of rectangles, one per thread, along whole micro-tiles of M and N (never along K, so the
/// result does not depend on the thread count), and runs them on <see cref="WorkerPool"/>.
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

    public static void Run<TKernel>(in GemmOperands op) where TKernel : IGemmMicroKernel
    {
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
