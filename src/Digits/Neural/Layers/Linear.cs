using System.Numerics.Tensors;
using Digits.Tensors;

namespace Digits.Neural;

/// <summary>Fully connected layer, like PyTorch's <c>nn.Linear</c>: out = inp · weightᵀ + bias, weight (out, in).</summary>
public sealed class Linear : Layer
{
    private readonly int inFeatures, outFeatures;
    private ParameterView weight = null!, bias = null!;

    public Linear(SampleShape input, int outFeatures)
        : base(input, SampleShape.Flat(outFeatures))
    {
        inFeatures = input.Size;
        this.outFeatures = outFeatures;
    }

    public override string Kind => "Linear";

    protected override void DeclareParameters(string prefix)
    {
        weight = AddParameter(prefix + "weight", [outFeatures, inFeatures], true);
        bias = AddParameter(prefix + "bias", [outFeatures], false);
    }

    internal override void Initialize(Rng rng)
    {
        FillUniform(Store.Value(weight), inFeatures, rng);
        FillUniform(Store.Value(bias), inFeatures, rng);
    }

    /// <summary>
    /// Up to this many samples the forward pass takes one dot product per output instead of a GEMM: a GEMM packs
    /// the whole weight (4.7 MB for the Keras convnet's dense1) whatever the batch, which for one image costs more
    /// than reading the weight once.
    /// </summary>
    private const int DotProductBatch = 4;

    /// <summary>From this many weights (1 MB) the dot products of a small batch are spread over the threads.</summary>
    private const int ParallelDotFloats = 1 << 18;

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

    // inp is (B,in), weight is (out,in), bias is (out), out is (B,out)
    public override unsafe void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training)
    {
        if (batch == 0)
        {
            return;
        }
        if (batch <= DotProductBatch)
        {
            ReadOnlySpan<float> w = Store.Value(weight);
            if (WorkerPool.Threads > 1 && w.Length >= ParallelDotFloats)
            {
                // A large weight is read by all cores at once, each taking a range of outputs; every output is one
                // dot product whichever thread computes it, so results do not depend on the thread count.
                fixed (float* pInput = input, pWeight = w, pOutput = output)
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
                        output[row * outFeatures + o] = TensorPrimitives.Dot(inRow, w.Slice(o * inFeatures, inFeatures));
                    }
                }
            }
        }
        else
        {
            Gemm.Multiply(false, true, batch, outFeatures, inFeatures, 1f, input, inFeatures, Store.Value(weight), inFeatures,
                0f, output, outFeatures);
        }
        ReadOnlySpan<float> b = Store.Value(bias);
        for (int row = 0; row < batch; row++)
        {
            Span<float> outRow = output.Slice(row * outFeatures, outFeatures);
            TensorPrimitives.Add(outRow, b, outRow);
        }
    }

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch)
    {
        if (batch == 0)
        {
            return;
        }
        // dweight (out,in) += doutᵀ (out,B) · inp (B,in)
        Gemm.Multiply(true, false, outFeatures, inFeatures, batch, 1f, doutput, outFeatures, input, inFeatures,
            1f, Store.Gradient(weight), inFeatures);
        Span<float> dbias = Store.Gradient(bias);
        for (int row = 0; row < batch; row++)
        {
            TensorPrimitives.Add(dbias, doutput.Slice(row * outFeatures, outFeatures), dbias);
        }
        if (!dinput.IsEmpty)
        {
            // dinp (B,in) = dout (B,out) · weight (out,in)
            Gemm.Multiply(false, false, batch, inFeatures, outFeatures, 1f, doutput, outFeatures, Store.Value(weight), inFeatures,
                0f, dinput, inFeatures);
        }
    }
}
