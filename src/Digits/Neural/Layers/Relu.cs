using Digits.Tensors;

namespace Digits.Neural;

/// <summary>Elementwise max(x, 0), like PyTorch's <c>nn.ReLU</c>.</summary>
public sealed class Relu(SampleShape input) : Layer(input, input)
{
    public override string Kind => "ReLU";

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training)
    {
        int length = batch * InputShape.Size;
        Activations.ReluForward(input[..length], output[..length]);
    }

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch)
    {
        if (dinput.IsEmpty)
        {
            return;
        }
        int length = batch * InputShape.Size;
        Activations.ReluBackward(output[..length], doutput[..length], dinput[..length]);
    }
}
