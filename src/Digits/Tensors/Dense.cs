using System.Numerics.Tensors;

namespace Digits.Tensors;

/// <summary>
/// The fully connected product and its gradients, as free functions over spans (the layer in
/// <c>Neural/Layers/Linear.cs</c> owns the shapes and parameters): out = inp · weightᵀ + bias.
/// </summary>
public static class Dense
{
    /// <summary>
    /// Up to this many samples the forward pass takes one dot product per output instead of a GEMM: a GEMM packs
    /// the whole weight (4.7 MB for the Keras convnet's dense1) whatever the batch, which for one image costs more
    /// than reading the weight once.
    /// </summary>
    private const int DotProductBatch = 4;

    /// <summary>From this many weights (1 MB) the dot products of a small batch are spread over the threads.</summary>
    private const int ParallelDotFloats = 1 << 18;

    // inp is (B,in), weight is (out,in), bias is (out), out is (B,out)
    public static unsafe void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        Span<float> output, int batch, int inFeatures, int outFeatures)
    {
        if (batch == 0)
        {
            return;
        }
        if (batch <= DotProductBatch)
        {
            if (WorkerPool.Threads > 1 && weight.Length >= ParallelDotFloats)
            {
                // A large weight is read by all cores at once, each taking a range of outputs; every output is one
                // dot product whichever thread computes it, so results do not depend on the thread count.
                fixed (float* pInput = input, pWeight = weight, pOutput = output)
                {
                    WorkerPool.For(WorkerPool.Threads, new DotProducts(pInput, pWeight, pOutput, batch, inFeatures, outFeatures, WorkerPool.Threads));
                }
            }
            else
            {
                for (int row = 0; row < batch; row++)
                {
                    ReadOnlySpan<float> inRow = input.Slice(row * inFeatures, inFeatures);
                    for (int o = 0; o < outFeatures; o++)
                    {
                        output[row * outFeatures + o] = TensorPrimitives.Dot(inRow, weight.Slice(o * inFeatures, inFeatures));
                    }
                }
            }
        }
        else
        {
            Gemm.Multiply(false, true, batch, outFeatures, inFeatures, 1f, input, inFeatures, weight, inFeatures, 0f, output, outFeatures);
        }
        for (int row = 0; row < batch; row++)
        {
            Span<float> outRow = output.Slice(row * outFeatures, outFeatures);
            TensorPrimitives.Add(outRow, bias, outRow);
        }
    }

    // inp is (B,in), weight is (out,in), dout is (B,out); dweight and dbias accumulate (+=), dinp is overwritten
    // (skipped when empty, for a first layer).
    public static void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> doutput,
        Span<float> dweight, Span<float> dbias, Span<float> dinput, int batch, int inFeatures, int outFeatures)
    {
        if (batch == 0)
        {
            return;
        }
        // dweight (out,in) += doutᵀ (out,B) · inp (B,in)
        Gemm.Multiply(true, false, outFeatures, inFeatures, batch, 1f, doutput, outFeatures, input, inFeatures, 1f, dweight, inFeatures);
        for (int row = 0; row < batch; row++)
        {
            TensorPrimitives.Add(dbias, doutput.Slice(row * outFeatures, outFeatures), dbias);
        }
        if (!dinput.IsEmpty)
        {
            // dinp (B,in) = dout (B,out) · weight (out,in)
            Gemm.Multiply(false, false, batch, inFeatures, outFeatures, 1f, doutput, outFeatures, weight, inFeatures, 0f, dinput, inFeatures);
        }
    }

    private readonly unsafe struct DotProducts(float* input, float* weight, float* output, int batch, int inFeatures,
        int outFeatures, int parts) : IParallelBody
    {
        public void Run(int part)
        {
            int first = (int)((long)outFeatures * part / parts), end = (int)((long)outFeatures * (part + 1) / parts);
            for (int row = 0; row < batch; row++)
            {
                var inRow = new ReadOnlySpan<float>(input + (nint)row * inFeatures, inFeatures);
                for (int o = first; o < end; o++)
                {
                    output[row * outFeatures + o] = TensorPrimitives.Dot(inRow, new ReadOnlySpan<float>(weight + (nint)o * inFeatures, inFeatures));
                }
            }
        }
    }
}
