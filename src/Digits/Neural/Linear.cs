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

    // inp is (B,in), weight is (out,in), bias is (out), out is (B,out)
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training)
    {
        if (batch == 0)
        {
            return;
        }
        Gemm.Multiply(false, true, batch, outFeatures, inFeatures, 1f, input, inFeatures, Store.Value(weight), inFeatures,
            0f, output, outFeatures);
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
