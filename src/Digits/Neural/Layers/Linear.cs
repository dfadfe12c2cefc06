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
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training) =>
        Dense.Forward(input, Store.Value(weight), Store.Value(bias), output, batch, inFeatures, outFeatures);

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch) =>
        Dense.Backward(input, Store.Value(weight), doutput, Store.Gradient(weight), Store.Gradient(bias), dinput, batch, inFeatures, outFeatures);
}
