using System.Numerics.Tensors;
using Digits.Data;

namespace Digits.Neural.Training;

/// <summary>
/// Scores the network under training on a validation set, in evaluation mode (no dropout, BatchNorm's running
/// statistics), with plain cross-entropy: the figures that choose the best epoch. Reuses its buffers.
/// </summary>
internal sealed class Validator
{
    private readonly Network network;
    private readonly LabeledImages data;
    private readonly int[] indices;
    private readonly InputStandardization? standardization;
    private readonly float[] inputs;
    private readonly int[] labels;
    private readonly int batch;

    public Validator(Network network, LabeledImages data, int[] indices, InputStandardization? standardization)
    {
        if (indices.Length == 0)
        {
            throw new ArgumentException("the validation set is empty", nameof(indices));
        }
        this.network = network;
        this.data = data;
        this.indices = indices;
        this.standardization = standardization;
        batch = network.MaxBatch;
        inputs = new float[batch * data.PixelsPerImage];
        labels = new int[batch];
    }

    /// <summary>Mean cross-entropy (nats) and accuracy (0–1) over the whole validation set.</summary>
    public (double Loss, double Accuracy) Evaluate()
    {
        int pixels = data.PixelsPerImage, classes = network.OutputShape.Size;
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < indices.Length; start += batch)
        {
            int count = Math.Min(batch, indices.Length - start);
            for (int i = 0; i < count; i++)
            {
                int index = indices[start + i];
                Imaging.ModelInput.ToUnitFloats(data.Image(index), inputs.AsSpan(i * pixels, pixels));
                labels[i] = data.Labels[index];
            }
            standardization?.Apply(inputs.AsSpan(0, count * pixels));
            ReadOnlySpan<float> logits = network.Forward(inputs, count, training: false);
            lossSum += (double)SoftmaxCrossEntropy.Compute(logits, labels, count, classes, 0f, default) * count;
            for (int n = 0; n < count; n++)
            {
                if (TensorPrimitives.IndexOfMax(logits.Slice(n * classes, classes)) == labels[n])
                {
                    correct++;
                }
            }
        }
        return (lossSum / indices.Length, (double)correct / indices.Length);
    }
}
