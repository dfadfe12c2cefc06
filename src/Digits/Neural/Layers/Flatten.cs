namespace Digits.Neural;

/// <summary>
/// (C,H,W) → (C·H·W), like PyTorch's <c>nn.Flatten</c>. NCHW storage is already flat, so the network shares one
/// buffer between input and output and this layer does no work.
/// </summary>
public sealed class Flatten(SampleShape input) : Layer(input, SampleShape.Flat(input.Size))
{
    public override string Kind => "Flatten";

    public override bool PassesThrough => true;

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training) =>
        input[..(batch * InputShape.Size)].CopyTo(output);

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch)
    {
        if (!dinput.IsEmpty)
        {
            doutput[..(batch * InputShape.Size)].CopyTo(dinput);
        }
    }
}
