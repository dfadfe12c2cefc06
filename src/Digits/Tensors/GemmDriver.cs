using System.Runtime.CompilerServices;
namespace Digits.Tensors;

/// <summary>
/// The five loops around a micro-kernel (Van Zee &amp; van de Geijn 2015, figure 2), for one rectangle of C:
/// columns in blocks of NC, depth in blocks of KC (pack B), rows in blocks of MC (pack A), then NR-wide and
/// MR-tall micro-tiles. Every element of C sees the same sequence of operations wherever its rectangle starts,
/// so splitting C between threads never changes a result bit.
/// </summary>
internal static unsafe class GemmDriver<TKernel> where TKernel : IGemmMicroKernel
{
    /// <summary>Computes rows [rowStart, rowEnd) × columns [columnStart, columnEnd) of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyRectangle(in GemmOperands op, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        int tileRows = TKernel.TileRows, tileColumns = TKernel.TileColumns;
        int blockDepth = TKernel.BlockDepth, blockRows = TKernel.BlockRows, blockColumns = TKernel.BlockColumns;
        GemmScratch scratch = GemmScratch.ForCurrentThread;
        int rectangleRows = rowEnd - rowStart, rectangleColumns = columnEnd - columnStart;
        int paddedRows = RoundUp(Math.Min(blockRows, rectangleRows), tileRows);
        int paddedColumns = RoundUp(Math.Min(blockColumns, rectangleColumns), tileColumns);
        int depthPerBlock = DepthPerBlock(op.K, blockDepth);
        float* packedA = scratch.PackedA((nuint)paddedRows * (nuint)depthPerBlock);
        float* packedB = scratch.PackedB((nuint)paddedColumns * (nuint)depthPerBlock);
        float* edgeTile = scratch.EdgeTile((nuint)(tileRows * tileColumns));

        for (int jc = columnStart; jc < columnEnd; jc += blockColumns)
        {
            int nc = Math.Min(blockColumns, columnEnd - jc);
            for (int pc = 0; pc < op.K; pc += depthPerBlock)
            {
                int kc = Math.Min(depthPerBlock, op.K - pc);
                float beta = pc == 0 ? op.Beta : 1f;
                if (op.Columns != null)
                {
                    op.Columns->Pack(pc, jc, nc, kc, tileColumns, packedB);
                }
                else
                {
                    GemmPacking.Pack(op.B + pc * op.BDepthStride + jc * op.BColumnStride,
                        op.BColumnStride, op.BDepthStride, nc, kc, tileColumns, packedB);
                }
                for (int ic = rowStart; ic < rowEnd; ic += blockRows)
                {
                    int mc = Math.Min(blockRows, rowEnd - ic);
                    GemmPacking.Pack(op.A + ic * op.ARowStride + pc * op.ADepthStride,
                        op.ARowStride, op.ADepthStride, mc, kc, tileRows, packedA);
                    var (nextA, nextB) = NextSources(op, ic + mc, rowStart, rowEnd, pc, kc, depthPerBlock, jc, nc, columnEnd);
                    MultiplyPackedBlock(op, ic, mc, jc, nc, kc, packedA, packedB, beta, edgeTile, ref nextA, ref nextB);
                }
            }
        }
    }

    /// <summary>
    /// The operand blocks packed after the current one: the next row block of A in this depth block or, after the
    /// last row block, the next depth block's B and first A block (or the next column block's B at depth 0).
    /// </summary>
    private static (GemmPrefetcher NextA, GemmPrefetcher NextB) NextSources(in GemmOperands op,
        int nextIc, int rowStart, int rowEnd, int pc, int kc, int depthPerBlock, int jc, int nc, int columnEnd)
    {
        int blockRows = TKernel.BlockRows, blockColumns = TKernel.BlockColumns;
        if (nextIc < rowEnd)
        {
            return (APrefetcher(op, nextIc, Math.Min(blockRows, rowEnd - nextIc), pc, kc), default);
        }
        int firstRows = Math.Min(blockRows, rowEnd - rowStart);
        int nextPc = pc + kc;
        if (nextPc < op.K)
        {
            int nextKc = Math.Min(depthPerBlock, op.K - nextPc);
            return (APrefetcher(op, rowStart, firstRows, nextPc, nextKc), BPrefetcher(op, nextPc, nextKc, jc, nc));
        }
        int nextJc = jc + blockColumns;
        if (nextJc < columnEnd)
        {
            int firstKc = Math.Min(depthPerBlock, op.K);
            return (APrefetcher(op, rowStart, firstRows, 0, firstKc),
                BPrefetcher(op, 0, firstKc, nextJc, Math.Min(blockColumns, columnEnd - nextJc)));
        }
        return default;
    }

    private static GemmPrefetcher APrefetcher(in GemmOperands op, int ic, int mc, int pc, int kc) =>
        new(op.A + ic * op.ARowStride + pc * op.ADepthStride, op.ARowStride, op.ADepthStride, mc, kc);

    /// <summary>None for columns read from an image: the image is a few tens of KB, already in cache.</summary>
    private static GemmPrefetcher BPrefetcher(in GemmOperands op, int pc, int kc, int jc, int nc) => op.Columns != null
        ? default
        : new(op.B + pc * op.BDepthStride + jc * op.BColumnStride, op.BColumnStride, op.BDepthStride, nc, kc);

    /// <summary>
    /// C[ic.., jc..] (mc×nc) = alpha * packedA · packedB + beta * C, tile by tile, spreading the prefetch of the
    /// next blocks evenly over the kernel calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPackedBlock(in GemmOperands op, int ic, int mc, int jc, int nc, int kc,
        float* packedA, float* packedB, float beta, float* edgeTile, ref GemmPrefetcher nextA, ref GemmPrefetcher nextB)
    {
        int tileRows = TKernel.TileRows, tileColumns = TKernel.TileColumns;
        int calls = ((nc + tileColumns - 1) / tileColumns) * ((mc + tileRows - 1) / tileRows);
        int aLinesPerCall = (nextA.Lines + calls - 1) / calls, bLinesPerCall = (nextB.Lines + calls - 1) / calls;
        for (int jr = 0; jr < nc; jr += tileColumns)
        {
            int nr = Math.Min(tileColumns, nc - jr);
            float* bSliver = packedB + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += tileRows)
            {
                int mr = Math.Min(tileRows, mc - ir);
                float* aSliver = packedA + (nint)ir * kc;
                float* cTile = op.C + (ic + ir) * op.CRowStride + jc + jr;
                nextA.Advance(aLinesPerCall);
                nextB.Advance(bLinesPerCall);
                if (mr == tileRows && nr == tileColumns)
                {
                    TKernel.Run(kc, aSliver, bSliver, cTile, op.CRowStride, op.Alpha, beta);
                }
                else
                {
                    MultiplyEdgeTile(kc, aSliver, bSliver, cTile, op.CRowStride, mr, nr, op.Alpha, beta, edgeTile);
                }
            }
        }
    }

    /// <summary>
    /// A tile that overhangs C runs the same kernel on a full-size copy of its visible part, so its elements get
    /// exactly the arithmetic they would get in a full tile; the padded lanes of the packed panels are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyEdgeTile(int kc, float* aSliver, float* bSliver, float* cTile, nint ldc,
        int mr, int nr, float alpha, float beta, float* edgeTile)
    {
        int tileColumns = TKernel.TileColumns;
        if (beta != 0f)
        {
            for (int i = 0; i < mr; i++)
            {
                new ReadOnlySpan<float>(cTile + i * ldc, nr).CopyTo(new Span<float>(edgeTile + i * tileColumns, nr));
            }
        }
        TKernel.Run(kc, aSliver, bSliver, edgeTile, tileColumns, alpha, beta);
        for (int i = 0; i < mr; i++)
        {
            new ReadOnlySpan<float>(edgeTile + i * tileColumns, nr).CopyTo(new Span<float>(cTile + i * ldc, nr));
        }
    }

    /// <summary>
    /// Splits K into equal blocks of at most 5/4 of the kernel's KC, rounded up to a multiple of 8: K = 288 runs as
    /// one block rather than 256 + 32, whose short second pass would reload and store all of C for little work.
    /// Depends on K alone, so every thread blocks K the same way.
    /// </summary>
    private static int DepthPerBlock(int k, int blockDepth)
    {
        int maximum = blockDepth * 5 / 4;
        int blocks = (k + maximum - 1) / maximum;
        return Math.Min(k, RoundUp((k + blocks - 1) / blocks, 8));
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
