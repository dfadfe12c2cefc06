using System.Numerics.Tensors;

namespace Digits.Tensors;

/// <summary>
/// Batched 2-D convolution (cross-correlation, like PyTorch) through im2col and GEMM, parallel over images.
/// </summary>
/// <remarks>
/// The batch is cut into <see cref="Chunks"/> fixed ranges of images, one <see cref="WorkerPool"/> item each.
/// Each chunk owns a slice of the scratch (its im2col matrix and its weight-gradient partial) and runs its
/// GEMMs single-threaded, so the CNN's thin per-image GEMMs need no synchronisation. Chunk boundaries depend
/// only on the batch size, and the partial weight gradients are summed in chunk order, so results are
/// bit-identical for any <see cref="WorkerPool.Threads"/>.
/// </remarks>
public static unsafe class Convolution
{
    /// <summary>
    /// A single image's convolution is split into row bands over the threads from this many multiply-adds (1 M): the
    /// Keras convnet's second layer (10.6 M) took 0.095 instead of 0.232 ms that way, but its first (0.2 M) went from
    /// 0.009 to 0.019 ms, since waking a thread costs more than such a layer.
    /// </summary>
    private const long BandedMultiplyAdds = 1 << 20;

    /// <summary>
    /// Weight gradients with fewer im2col rows than this (first layers: 1·3·3 or 1·5·5) are summed as row dot
    /// products (<see cref="RowDots"/>) rather than by the packed GEMM: cnn-fast's first layer took 1.45 instead of
    /// 2.0 ms per step, the Keras convnet's 0.58 instead of 2.16 ms; but its second (288 rows) took 25.4 instead of
    /// 21.5 ms, since there each packed float is reused enough.
    /// </summary>
    private const int RowDotsBelowDepth = 64;

    /// <summary>Upper bound on chunks: enough to balance 2–16 threads, few enough that the partial sums stay cheap.</summary>
    public const int MaxChunks = 16;

    /// <summary>The number of image ranges a batch of <paramref name="batch"/> images is cut into.</summary>
    public static int Chunks(int batch) => Math.Clamp(batch, 1, MaxChunks);

    /// <summary>
    /// The im2col matrix of one GEMM is kept near this many floats (512 KB, within a core's L2): layers with a small
    /// C·KH·KW × OH·OW put several images side by side in it, so their GEMM is wide enough to fill whole register
    /// tiles and to pack the weight once per group rather than once per image.
    /// </summary>
    private const int GroupFloats = 1 << 17;

    /// <summary>
    /// Only layers with at most this many output pixels per channel group images: a wider plane already fills the
    /// GEMM's tiles, and the copies in and out of the shared matrix then cost more than they save (cnn-fast's first
    /// convolution, 24×24, took 5.6 instead of 4.1 ms per step grouped).
    /// </summary>
    private const int MaxGroupedPlane = 256;

    /// <summary>
    /// Images per GEMM for a batch of <paramref name="batch"/>: as many as fit <see cref="GroupFloats"/>, at most the
    /// images of one chunk. It depends only on the geometry and the batch size, so results do not depend on threads.
    /// </summary>
    public static int GroupSize(in ConvolutionGeometry g, int batch)
    {
        if (g.OutputPlane > MaxGroupedPlane)
        {
            return 1;
        }
        int chunks = Chunks(batch);
        int perChunk = (Math.Max(batch, 1) + chunks - 1) / chunks;
        return (int)Math.Clamp(GroupFloats / Math.Max(1L, (long)g.ColumnRows * g.OutputPlane), 1, perChunk);
    }

    /// <summary>Floats of scratch that <see cref="Forward"/> and <see cref="Backward"/> need for up to <paramref name="batch"/> images,
    /// in 64-bit arithmetic, since a loader sizes a declared convolution with it before deciding whether to build it.</summary>
    public static long ScratchLength(in ConvolutionGeometry g, int batch) => Chunks(batch) * ChunkScratch(g, batch);

    /// <summary>One chunk's scratch: its group's im2col matrix, its group's outputs side by side, and its weight-gradient partial.</summary>
    private static long ChunkScratch(in ConvolutionGeometry g, int batch) =>
        (long)GroupSize(g, batch) * ((long)g.ColumnRows + g.OutChannels) * g.OutputPlane + g.WeightSize + g.OutChannels;

    /// <summary>
    /// inp is (B,C,H,W), weight is (OC,C,KH,KW), bias is (OC), out is (B,OC,OH,OW). Overwrites out.
    /// </summary>
    public static void Forward(Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, int batch, in ConvolutionGeometry g, Span<float> scratch)
    {
        CheckLengths(g, batch, input.Length, output.Length, weight.Length, bias.Length, scratch.Length);
        if (batch == 0)
        {
            return;
        }
        fixed (float* pOut = output, pInp = input, pWeight = weight, pBias = bias, pScratch = scratch)
        {
            if (batch == 1 && WorkerPool.Threads > 1 && g.OutHeight > 1 && (long)g.WeightSize * g.OutputPlane >= BandedMultiplyAdds)
            {
                // One image (interactive inference): each thread unrolls and multiplies its own band of output rows,
                // so its columns stay in its own L2; every output is the same dot product in the same order as in
                // the one-thread path.
                int parts = Math.Min(WorkerPool.Threads, g.OutHeight);
                WorkerPool.For(parts, new RowBands(g, parts, pOut, pInp, pWeight, pBias, pScratch));
                return;
            }
            WorkerPool.For(Chunks(batch), new ForwardChunk(g, batch, pOut, pInp, pWeight, pBias, pScratch));
        }
    }

    /// <summary>
    /// dout is (B,OC,OH,OW), inp is (B,C,H,W), weight is (OC,C,KH,KW). ACCUMULATES into dweight (OC,C,KH,KW) and
    /// dbias (OC); overwrites dinp (B,C,H,W) unless it is empty (the first layer needs no input gradient).
    /// </summary>
    public static void Backward(Span<float> dinput, Span<float> dweight, Span<float> dbias, ReadOnlySpan<float> doutput,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, int batch, in ConvolutionGeometry g, Span<float> scratch)
    {
        CheckLengths(g, batch, input.Length, doutput.Length, weight.Length, dbias.Length, scratch.Length);
        if (dweight.Length != g.WeightSize)
        {
            throw new ArgumentException($"holds {dweight.Length} floats, expected {g.WeightSize}", nameof(dweight));
        }
        bool wantInput = !dinput.IsEmpty;
        if (wantInput && dinput.Length < batch * g.InputSize)
        {
            throw new ArgumentException($"holds {dinput.Length} floats, expected {batch * g.InputSize}", nameof(dinput));
        }
        if (batch == 0)
        {
            return;
        }
        int chunks = Chunks(batch);
        fixed (float* pDinp = dinput, pDout = doutput, pInp = input, pWeight = weight, pScratch = scratch)
        {
            WorkerPool.For(chunks, new BackwardChunk(g, batch, wantInput ? pDinp : null, pDout, pInp, pWeight, pScratch));
        }
        int chunkScratch = (int)ChunkScratch(g, batch);
        int partialLength = g.WeightSize + g.OutChannels;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            Span<float> partial = scratch.Slice(chunk * chunkScratch + chunkScratch - partialLength, partialLength);
            TensorPrimitives.Add(dweight, partial[..g.WeightSize], dweight);
            TensorPrimitives.Add(dbias, partial[g.WeightSize..], dbias);
        }
    }

    private static void CheckLengths(in ConvolutionGeometry g, int batch, int input, int output, int weight, int bias, int scratch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (input < batch * g.InputSize || output < batch * g.OutputSize || weight != g.WeightSize
            || bias != g.OutChannels || scratch < ScratchLength(g, batch))
        {
            throw new ArgumentException(
                $"convolution {g} over {batch} images got input {input}, output {output}, weight {weight}, bias {bias}, scratch {scratch} floats");
        }
    }

    /// <summary>The images [start, end) of chunk <paramref name="chunk"/>.</summary>
    private static (int Start, int End) ChunkImages(int batch, int chunk, int chunks) =>
        ((int)((long)batch * chunk / chunks), (int)((long)batch * (chunk + 1) / chunks));

    /// <summary>The im2col matrices of images [first, first + images) side by side: (C·KH·KW, images·OH·OW).</summary>
    private static void GroupColumns(in ConvolutionGeometry g, float* input, int first, int images, float* columns)
    {
        int width = images * g.OutputPlane;
        if (ImageColumns.NarrowRowsApply(g.Width, g.Stride, g.Padding))
        {
            ImageColumns.Im2ColGroup(input + (nint)first * g.InputSize, g.InputSize, images, g.Channels, g.Height, g.Width,
                g.KernelHeight, g.KernelWidth, columns, width);
            return;
        }
        for (int j = 0; j < images; j++)
        {
            ImageColumns.Im2Col(input + (nint)(first + j) * g.InputSize, g.Channels, g.Height, g.Width,
                g.KernelHeight, g.KernelWidth, g.Stride, g.Padding, columns + j * g.OutputPlane, width);
        }
    }

    private readonly struct RowBands(ConvolutionGeometry g, int parts, float* output, float* input,
        float* weight, float* bias, float* scratch) : IParallelBody
    {
        private readonly ConvolutionGeometry g = g;

        public void Run(int part)
        {
            int first = g.OutHeight * part / parts, rows = g.OutHeight * (part + 1) / parts - first;
            int plane = g.OutputPlane, width = rows * g.OutWidth, offset = first * g.OutWidth;
            if (ImplicitColumns.Apply(g))
            {
                var band = new ImplicitColumns(input, g, first);
                SerialGemm.MultiplyColumns(g.OutChannels, width, g.ColumnRows, weight, g.ColumnRows, &band, output + offset, plane);
            }
            else
            {
                float* columns = scratch + (nint)g.ColumnRows * offset;
                ImageColumns.Im2Col(input, g.Channels, g.Height, g.Width, g.KernelHeight, g.KernelWidth, g.Stride, g.Padding,
                    columns, width, first, rows);
                SerialGemm.Multiply(false, false, g.OutChannels, width, g.ColumnRows, 1f, weight, g.ColumnRows, columns, width,
                    0f, output + offset, plane);
            }
            for (int c = 0; c < g.OutChannels; c++)
            {
                var band = new Span<float>(output + (nint)c * plane + offset, width);
                TensorPrimitives.Add(band, bias[c], band);
            }
        }
    }

    private readonly struct ForwardChunk(ConvolutionGeometry g, int batch, float* output, float* input,
        float* weight, float* bias, float* scratch) : IParallelBody
    {
        private readonly ConvolutionGeometry g = g;

        public void Run(int chunk)
        {
            int group = GroupSize(g, batch), plane = g.OutputPlane, rows = g.ColumnRows;
            float* columns = scratch + (nint)chunk * ChunkScratch(g, batch);
            float* product = columns + (nint)group * rows * plane;
            var biases = new ReadOnlySpan<float>(bias, g.OutChannels);
            (int start, int end) = ChunkImages(batch, chunk, Chunks(batch));
            for (int first = start; first < end; first += group)
            {
                int images = Math.Min(group, end - first), width = images * plane;
                if (images == 1)
                {
                    // One image: its columns are packed straight from it when the layer allows, else unrolled first.
                    float* outImage = output + (nint)first * g.OutputSize;
                    float* image = input + (nint)first * g.InputSize;
                    if (ImplicitColumns.Apply(g))
                    {
                        var inPlace = new ImplicitColumns(image, g, 0);
                        SerialGemm.MultiplyColumns(g.OutChannels, plane, rows, weight, rows, &inPlace, outImage, plane);
                    }
                    else
                    {
                        GroupColumns(g, input, first, 1, columns);
                        SerialGemm.Multiply(false, false, g.OutChannels, plane, rows, 1f,
                            weight, rows, columns, plane, 0f, outImage, plane);
                    }
                    ChannelBias.Add(new Span<float>(outImage, g.OutputSize), biases, plane);
                    continue;
                }
                GroupColumns(g, input, first, images, columns);
                // product (OC, images·plane) = weight (OC, C·KH·KW) · columns, then each image's block plus bias to NCHW
                SerialGemm.Multiply(false, false, g.OutChannels, width, rows, 1f, weight, rows, columns, width, 0f, product, width);
                for (int j = 0; j < images; j++)
                {
                    float* outImage = output + (nint)(first + j) * g.OutputSize;
                    for (int c = 0; c < g.OutChannels; c++)
                    {
                        TensorPrimitives.Add(new ReadOnlySpan<float>(product + (nint)c * width + j * plane, plane), biases[c],
                            new Span<float>(outImage + (nint)c * plane, plane));
                    }
                }
            }
        }
    }

    private readonly struct BackwardChunk(ConvolutionGeometry g, int batch, float* dinput, float* doutput,
        float* input, float* weight, float* scratch) : IParallelBody
    {
        private readonly ConvolutionGeometry g = g;

        public void Run(int chunk)
        {
            int group = GroupSize(g, batch), plane = g.OutputPlane, rows = g.ColumnRows;
            float* columns = scratch + (nint)chunk * ChunkScratch(g, batch);
            float* gathered = columns + (nint)group * rows * plane;
            float* dweight = gathered + (nint)group * g.OutChannels * plane;
            var dbias = new Span<float>(dweight + g.WeightSize, g.OutChannels);
            dbias.Clear();
            (int start, int end) = ChunkImages(batch, chunk, Chunks(batch));
            for (int first = start; first < end; first += group)
            {
                int images = Math.Min(group, end - first), width = images * plane;
                GroupColumns(g, input, first, images, columns);
                for (int j = 0; j < images; j++)
                {
                    ChannelBias.AccumulateGradient(dbias, new ReadOnlySpan<float>(doutput + (nint)(first + j) * g.OutputSize, g.OutputSize), plane);
                }
                // The group's output gradients side by side, (OC, images·plane), like its columns; one image needs no copy.
                float* dout = doutput + (nint)first * g.OutputSize;
                if (images > 1)
                {
                    for (int j = 0; j < images; j++)
                    {
                        for (int c = 0; c < g.OutChannels; c++)
                        {
                            new ReadOnlySpan<float>(doutput + (nint)(first + j) * g.OutputSize + (nint)c * plane, plane)
                                .CopyTo(new Span<float>(gathered + (nint)c * width + j * plane, plane));
                        }
                    }
                    dout = gathered;
                }
                // dweight (OC, C*KH*KW) (+)= dout (OC, images·plane) · columns^T
                if (RowDots.IsSupported && rows < RowDotsBelowDepth)
                {
                    RowDots.MultiplyTransposed(dout, width, columns, width, g.OutChannels, rows, width, dweight, rows, accumulate: first != start);
                }
                else
                {
                    SerialGemm.Multiply(false, true, g.OutChannels, rows, width, 1f,
                        dout, width, columns, width, first == start ? 0f : 1f, dweight, rows);
                }
                if (dinput != null)
                {
                    // dcolumns (C*KH*KW, images·plane) = weight^T · dout, then folded back onto each image
                    SerialGemm.Multiply(true, false, rows, width, g.OutChannels, 1f,
                        weight, rows, dout, width, 0f, columns, width);
                    float* groupInput = dinput + (nint)first * g.InputSize;
                    if (ImageColumns.NarrowRowsApply(g.Width, g.Stride, g.Padding))
                    {
                        ImageColumns.Col2ImGroup(columns, width, images, g.Channels, g.Height, g.Width, g.KernelHeight,
                            g.KernelWidth, groupInput, g.InputSize);
                        continue;
                    }
                    for (int j = 0; j < images; j++)
                    {
                        float* dinp = groupInput + (nint)j * g.InputSize;
                        FloatRuns.Clear(dinp, g.InputSize);
                        ImageColumns.Col2Im(columns + j * plane, g.Channels, g.Height, g.Width, g.KernelHeight, g.KernelWidth,
                            g.Stride, g.Padding, dinp, width);
                    }
                }
            }
        }
    }
}
