using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// Walks the source of the next block to be packed, one cache line at a time, issuing a few L2 prefetches
/// between micro-kernel calls. Packing reads each element of a large operand exactly once, straight from L3 or
/// DRAM; without this, the kernel sits idle while the next block arrives, and with it the transfer overlaps
/// the arithmetic on the current block.
/// </summary>
internal unsafe struct GemmPrefetcher
{
    private const int FloatsPerLine = 16;

    private readonly float* source;
    private readonly nint rowStride;
    private readonly int rows;
    private readonly int rowLength;
    private int row;
    private int offset;

    /// <summary>The block <see cref="GemmPacking.Pack"/> would read with the same arguments.</summary>
    public GemmPrefetcher(float* source, nint laneStride, nint depthStride, int lanes, int depth)
    {
        this.source = source;
        (rowStride, rows, rowLength) = laneStride == 1 ? (depthStride, depth, lanes) : (laneStride, lanes, depth);
    }

    /// <summary>Cache lines in the whole block.</summary>
    public readonly int Lines => rows * ((rowLength + FloatsPerLine - 1) / FloatsPerLine);

    /// <summary>Prefetches the next <paramref name="lines"/> lines of the block into L2 (none past its end).</summary>
    public void Advance(int lines)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        for (; lines > 0 && row < rows; lines--)
        {
            Sse.Prefetch1(source + row * rowStride + offset);
            offset += FloatsPerLine;
            if (offset >= rowLength)
            {
                offset = 0;
                row++;
            }
        }
    }
}
