using Digits.Tensors;

namespace Digits.Neural;

/// <summary>Max pooling with a square window, like PyTorch's <c>nn.MaxPool2d(kernel, stride)</c>.</summary>
public sealed class MaxPool2d : Layer
{
    private readonly int kernel, stride;
    private int[] argmax = [];

    public MaxPool2d(SampleShape input, int kernel, int stride)
        : base(input, new SampleShape(input.Channels,
            ImageColumns.OutputSize(input.Height, kernel, stride, 0), ImageColumns.OutputSize(input.Width, kernel, stride, 0)))
    {
        this.kernel = kernel;
        this.stride = stride;
    }

    public override string Kind => "MaxPool2d";

    internal override void Prepare(int maxBatch, ulong seed) => argmax = new int[maxBatch * OutputShape.Size];

    internal override long ScratchBytes(int maxBatch) => (long)maxBatch * OutputShape.Size * sizeof(int);

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training) =>
        Pooling.MaxForward(input, output, argmax, batch * InputShape.Channels, InputShape.Height, InputShape.Width, kernel, stride);

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch)
    {
        if (!dinput.IsEmpty)
        {
            Pooling.MaxBackward(doutput, argmax, dinput, batch * InputShape.Channels,
                InputShape.Height * InputShape.Width, OutputShape.Height * OutputShape.Width);
        }
    }
}
