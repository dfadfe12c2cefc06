using System.Numerics.Tensors;
using Digits.Tensors;

namespace Digits.Neural;

/// <summary>
/// Dropout (Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", JMLR 2014)
/// in its inverted form, like PyTorch's <c>nn.Dropout</c>: in training each value is zeroed with probability
/// <see cref="Rate"/> and the survivors are scaled by 1/(1−rate), so evaluation is the identity. Each training
/// batch's mask is keyed by the network's seed and a batch counter, so a run is reproducible.
/// </summary>
public sealed class Dropout(SampleShape input, float rate) : Layer(input, input)
{
    private float[] mask = [];
    private ulong seed;
    private bool lastForwardTraining;

    /// <summary>Probability of zeroing each value in training, in [0, 1).</summary>
    public float Rate { get; } = rate;

    public override string Kind => "Dropout";

    /// <summary>
    /// Training batches masked so far; the next mask's key derives from it. A checkpoint stores it so that a resumed
    /// run draws the same masks as an uninterrupted one.
    /// </summary>
    public ulong MasksDrawn { get; set; }

    internal override long ScratchBytes(int maxBatch) => (long)maxBatch * InputShape.Size * sizeof(float);

    internal override void Prepare(int maxBatch, ulong seed)
    {
        mask = new float[maxBatch * InputShape.Size];
        this.seed = seed;
    }

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training)
    {
        int length = batch * InputShape.Size;
        lastForwardTraining = training && Rate > 0f;
        if (!lastForwardTraining)
        {
            input[..length].CopyTo(output);
            return;
        }
        Span<float> m = mask.AsSpan(0, length);
        DropoutMask.Fill(m, Rate, seed ^ (++MasksDrawn * 0xD1B54A32D192ED03UL));
        TensorPrimitives.Multiply(input[..length], m, output[..length]);
    }

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch)
    {
        if (dinput.IsEmpty)
        {
            return;
        }
        int length = batch * InputShape.Size;
        if (lastForwardTraining)
        {
            TensorPrimitives.Multiply(doutput[..length], mask.AsSpan(0, length), dinput[..length]);
        }
        else
        {
            doutput[..length].CopyTo(dinput);
        }
    }
}
