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
    /// <summary>Upper bound on chunks: enough to balance 2–16 threads, few enough that the partial sums stay cheap.</summary>
    public const int MaxChunks = 16;

    /// <summary>The number of image ranges a batch of <paramref name="batch"/> images is cut into.</summary>
    public static int Chunks(int batch) => Math.Clamp(batch, 1, MaxChunks);

    /// <summary>Floats of scratch that <see cref="Forward"/> and <see cref="Backward"/> need for up to <paramref name="batch"/> images.</summary>
    public static int ScratchLength(in ConvolutionGeometry g, int batch) =>
        Chunks(batch) * (g.ColumnRows * g.OutputPlane + g.WeightSize + g.OutChannels);

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
        int columnsLength = g.ColumnRows * g.OutputPlane;
        int partialLength = g.WeightSize + g.OutChannels;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            Span<float> partial = scratch.Slice(chunks * columnsLength + chunk * partialLength, partialLength);
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

    private readonly struct ForwardChunk(ConvolutionGeometry g, int batch, float* output, float* input,
        float* weight, float* bias, float* scratch) : IParallelBody
    {
        private readonly ConvolutionGeometry g = g;

        public void Run(int chunk)
        {
            int columnsLength = g.ColumnRows * g.OutputPlane;
            float* columns = scratch + (nint)chunk * columnsLength;
            (int start, int end) = ChunkImages(batch, chunk, Chunks(batch));
            for (int image = start; image < end; image++)
            {
                float* outImage = output + (nint)image * g.OutputSize;
                ImageColumns.Im2Col(input + (nint)image * g.InputSize, g.Channels, g.Height, g.Width,
                    g.KernelHeight, g.KernelWidth, g.Stride, g.Padding, columns);
                SerialGemm.Multiply(false, false, g.OutChannels, g.OutputPlane, g.ColumnRows, 1f,
                    weight, g.ColumnRows, columns, g.OutputPlane, 0f, outImage, g.OutputPlane);
                ChannelBias.Add(new Span<float>(outImage, g.OutputSize), new ReadOnlySpan<float>(bias, g.OutChannels), g.OutputPlane);
            }
        }
    }

    private readonly struct BackwardChunk(ConvolutionGeometry g, int batch, float* dinput, float* doutput,
        float* input, float* weight, float* scratch) : IParallelBody
    {
        private readonly ConvolutionGeometry g = g;

        public void Run(int chunk)
        {
            int chunks = Chunks(batch);
            int columnsLength = g.ColumnRows * g.OutputPlane;
            float* columns = scratch + (nint)chunk * columnsLength;
            float* dweight = scratch + (nint)chunks * columnsLength + (nint)chunk * (g.WeightSize + g.OutChannels);
            var dbias = new Span<float>(dweight + g.WeightSize, g.OutChannels);
            dbias.Clear();
            (int start, int end) = ChunkImages(batch, chunk, chunks);
            for (int image = start; image < end; image++)
            {
                float* dout = doutput + (nint)image * g.OutputSize;
                ImageColumns.Im2Col(input + (nint)image * g.InputSize, g.Channels, g.Height, g.Width,
                    g.KernelHeight, g.KernelWidth, g.Stride, g.Padding, columns);
                // dweight (OC, C*KH*KW) (+)= dout (OC, OH*OW) · columns^T
                SerialGemm.Multiply(false, true, g.OutChannels, g.ColumnRows, g.OutputPlane, 1f,
                    dout, g.OutputPlane, columns, g.OutputPlane, image == start ? 0f : 1f, dweight, g.ColumnRows);
                ChannelBias.AccumulateGradient(dbias, new ReadOnlySpan<float>(dout, g.OutputSize), g.OutputPlane);
                if (dinput != null)
                {
                    // dcolumns (C*KH*KW, OH*OW) = weight^T · dout, then folded back onto the image
                    SerialGemm.Multiply(true, false, g.ColumnRows, g.OutputPlane, g.OutChannels, 1f,
                        weight, g.ColumnRows, dout, g.OutputPlane, 0f, columns, g.OutputPlane);
                    float* dinp = dinput + (nint)image * g.InputSize;
                    new Span<float>(dinp, g.InputSize).Clear();
                    ImageColumns.Col2Im(columns, g.Channels, g.Height, g.Width, g.KernelHeight, g.KernelWidth, g.Stride, g.Padding, dinp);
                }
            }
        }
    }
}
