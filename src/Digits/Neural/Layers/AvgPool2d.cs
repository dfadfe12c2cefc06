using Digits.Tensors;

namespace Digits.Neural;

/// <summary>Average pooling with a square window, like PyTorch's <c>nn.AvgPool2d(kernel, stride)</c>.</summary>
public sealed class AvgPool2d : Layer
{
    private readonly int kernel, stride;

    public AvgPool2d(SampleShape input, int kernel, int stride)
        : base(input, new SampleShape(input.Channels,
            ImageColumns.OutputSize(input.Height, kernel, stride, 0), ImageColumns.OutputSize(input.Width, kernel, stride, 0)))
    {
        this.kernel = kernel;
        this.stride = stride;
    }

    public override string Kind => "AvgPool2d";

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training) =>
        Pooling.AverageForward(input, output, batch * InputShape.Channels, InputShape.Height, InputShape.Width, kernel, stride);

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch)
    {
        if (!dinput.IsEmpty)
        {
            Pooling.AverageBackward(doutput, dinput, batch * InputShape.Channels, InputShape.Height, InputShape.Width, kernel, stride);
        }
    }
}
