namespace Digits.Tensors;

/// <summary>
/// The im2col matrix of one image under a stride-1, unpadded convolution, never stored: GEMM packs B's slivers
/// straight from the image (<see cref="Pack"/>, in <see cref="GemmPacking.Pack"/>'s layout). Rows are (channel, ky, kx)
/// as in <see cref="ImageColumns"/>; column j is output position (<paramref name="firstRow"/> + j / OW, j % OW).
/// One image read by an interactive prediction otherwise unrolls 663 KB of columns in the bundled model's second
/// convolution and then copies them again into packed slivers: 23 + 28 µs of that layer's 132 µs
/// (<c>Digits.Bench conv-parts one</c>). The packed values are the same floats, so results are bit-identical.
/// </summary>
internal readonly unsafe struct ImplicitColumns(float* input, in ConvolutionGeometry g, int firstRow)
{
    /// <summary>Narrower output rows would make each sliver row a handful of tiny copies; those layers keep im2col.</summary>
    internal const int MinOutWidth = 8;

    private readonly float* input = input;
    private readonly int height = g.Height, width = g.Width, kernelHeight = g.KernelHeight, kernelWidth = g.KernelWidth;
    private readonly int outWidth = g.OutWidth, firstRow = firstRow;

    /// <summary>Whether a convolution's columns can be read in place: stride 1, no padding, output rows of at least
    /// <see cref="MinOutWidth"/>.</summary>
    public static bool Apply(in ConvolutionGeometry g) => g.Stride == 1 && g.Padding == 0 && g.OutWidth >= MinOutWidth;

    /// <summary>
    /// Packs rows [<paramref name="depthStart"/>, +<paramref name="depth"/>) × columns [<paramref name="laneStart"/>,
    /// +<paramref name="lanes"/>) as <see cref="GemmPacking.Pack"/> packs a stored B: slivers of
    /// <paramref name="sliverWidth"/> columns, each depth step by depth step, zero past the last column.
    /// </summary>
    public void Pack(int depthStart, int laneStart, int lanes, int depth, int sliverWidth, float* packed)
    {
        // Each sliver's columns fall in a few runs along output rows; where each run starts in the image (relative to
        // the row (c, ky, kx) reads from) and in the sliver is the same for every depth step, so it is found once.
        int slivers = (lanes + sliverWidth - 1) / sliverWidth;
        int maxRuns = lanes / outWidth + 2 * slivers;
        Span<int> runs = maxRuns <= 1024 ? stackalloc int[3 * maxRuns] : new int[3 * maxRuns];
        Span<int> sliverEnds = slivers <= 256 ? stackalloc int[slivers] : new int[slivers];
        int count = 0;
        for (int s = 0; s < slivers; s++)
        {
            int first = s * sliverWidth, end = Math.Min(lanes, first + sliverWidth);
            for (int lane = first; lane < end;)
            {
                int column = laneStart + lane, y = firstRow + column / outWidth, x = column % outWidth;
                int length = Math.Min(end - lane, outWidth - x);
                runs[3 * count] = y * width + x;
                runs[3 * count + 1] = lane - first;
                runs[3 * count + 2] = length;
                count++;
                lane += length;
            }
            sliverEnds[s] = count;
        }

        int taps = kernelHeight * kernelWidth, plane = height * width;
        int c = depthStart / taps, ky = depthStart % taps / kernelWidth, kx = depthStart % kernelWidth;
        nint sliverSize = (nint)sliverWidth * depth;
        int lastCount = lanes - (slivers - 1) * sliverWidth;
        for (int p = 0; p < depth; p++)
        {
            float* source = input + (nint)c * plane + ky * width + kx;
            float* sliver = packed + (nint)p * sliverWidth;
            int run = 0;
            for (int s = 0; s < slivers; s++, sliver += sliverSize)
            {
                for (; run < sliverEnds[s]; run++)
                {
                    FloatRuns.Copy(source + runs[3 * run], sliver + runs[3 * run + 1], runs[3 * run + 2]);
                }
            }
            if (lastCount < sliverWidth)
            {
                FloatRuns.Clear(sliver - sliverSize + lastCount, sliverWidth - lastCount);
            }
            if (++kx == kernelWidth)
            {
                kx = 0;
                if (++ky == kernelHeight)
                {
                    ky = 0;
                    c++;
                }
            }
        }
    }
}
