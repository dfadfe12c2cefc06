using Digits.Tensors;

namespace Digits.Neural;

/// <summary>
/// (C,H,W) → (C), the mean of each channel (Lin, Chen &amp; Yan, "Network In Network", ICLR 2014); PyTorch's
/// <c>nn.AdaptiveAvgPool2d(1)</c> followed by <c>nn.Flatten</c>.
/// </summary>
public sealed class GlobalAvgPool(SampleShape input) : Layer(input, SampleShape.Flat(input.Channels))
{
    public override string Kind => "GlobalAvgPool";

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training) =>
        Pooling.GlobalAverageForward(input, output, batch * InputShape.Channels, InputShape.Height * InputShape.Width);

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch)
    {
        if (!dinput.IsEmpty)
        {
            Pooling.GlobalAverageBackward(doutput, dinput, batch * InputShape.Channels, InputShape.Height * InputShape.Width);
        }
    }
}
