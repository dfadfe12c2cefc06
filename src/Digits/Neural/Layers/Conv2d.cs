using Digits.Tensors;

namespace Digits.Neural;

/// <summary>
/// 2-D convolution with square kernels, like PyTorch's <c>nn.Conv2d</c>: weight (OC, C, K, K), bias (OC), NCHW.
/// </summary>
public sealed class Conv2d : Layer
{
    private readonly ConvolutionGeometry geometry;
    private ParameterView weight = null!, bias = null!;
    private float[] scratch = [];

    public Conv2d(SampleShape input, int outChannels, int kernel, int stride, int padding)
        : base(input, new SampleShape(outChannels,
            ImageColumns.OutputSize(input.Height, kernel, stride, padding),
            ImageColumns.OutputSize(input.Width, kernel, stride, padding)))
    {
        geometry = new ConvolutionGeometry(input.Channels, input.Height, input.Width, outChannels, kernel, kernel, stride, padding);
    }

    public override string Kind => "Conv2d";

    protected override void DeclareParameters(string prefix)
    {
        weight = AddParameter(prefix + "weight", [geometry.OutChannels, geometry.Channels, geometry.KernelHeight, geometry.KernelWidth], true);
        bias = AddParameter(prefix + "bias", [geometry.OutChannels], false);
    }

    internal override void Initialize(Rng rng)
    {
        FillUniform(Store.Value(weight), geometry.ColumnRows, rng);
        FillUniform(Store.Value(bias), geometry.ColumnRows, rng);
    }

    internal override void Prepare(int maxBatch, ulong seed) =>
        scratch = new float[Convolution.ScratchLength(geometry, maxBatch)];

    internal override long ScratchBytes(int maxBatch) => Convolution.ScratchLength(geometry, maxBatch) * sizeof(float);

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training) =>
        Convolution.Forward(output, input, Store.Value(weight), Store.Value(bias), batch, geometry, scratch);

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch) =>
        Convolution.Backward(dinput, Store.Gradient(weight), Store.Gradient(bias), doutput, input, Store.Value(weight),
            batch, geometry, scratch);
}
