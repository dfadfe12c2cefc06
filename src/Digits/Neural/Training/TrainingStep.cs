using System.Numerics.Tensors;
using Digits.Neural.Optimizers;
using Digits.Neural.Schedules;

namespace Digits.Neural.Training;

/// <summary>
/// One optimizer step on one batch (forward in training mode, softmax cross-entropy, backward, scheduled update)
/// and the epoch's running loss and accuracy. Allocates its gradient buffer once. With a
/// <paramref name="momentum"/> schedule, Adam's β1 is set from it before each update, like the learning rate, so
/// both depend only on the step count and a resumed run continues them exactly.
/// </summary>
internal sealed class TrainingStep(Network network, Optimizer optimizer, LearningRateSchedule schedule,
    OneCycleMomentumSchedule? momentum, float labelSmoothing, int classes)
{
    private readonly int[] labels = new int[network.MaxBatch];
    private readonly float[] dlogits = new float[network.MaxBatch * classes];
    private double lossSum;
    private long correct;

    /// <summary>Images trained on this epoch.</summary>
    public long Images { get; private set; }

    /// <summary>Mean training loss of this epoch so far, in nats.</summary>
    public double MeanLoss => Images == 0 ? 0 : lossSum / Images;

    /// <summary>Fraction of this epoch's training images the network got right before its step, 0–1.</summary>
    public double Accuracy => Images == 0 ? 0 : (double)correct / Images;

    /// <summary>The learning rate of the latest step.</summary>
    public float LastLearningRate { get; private set; }

    /// <summary>The mean loss of the latest batch, in nats; NaN or infinite once training has diverged.</summary>
    public float LastLoss { get; private set; }

    public void StartEpoch()
    {
        lossSum = 0;
        correct = 0;
        Images = 0;
    }

    public void Run(TrainingBatch batch)
    {
        int count = batch.Count;
        ReadOnlySpan<float> logits = network.Forward(batch.Inputs, count, training: true);
        float loss = SoftmaxCrossEntropy.Compute(logits, batch.Labels, count, classes, labelSmoothing, dlogits);
        LastLoss = loss;
        for (int n = 0; n < count; n++)
        {
            if (TensorPrimitives.IndexOfMax(logits.Slice(n * classes, classes)) == batch.Labels[n])
            {
                correct++;
            }
        }
        lossSum += (double)loss * count;
        Images += count;
        network.Backward(dlogits);
        LastLearningRate = schedule.At(optimizer.Steps);
        if (momentum is not null)
        {
            ((Adam)optimizer).Beta1 = momentum.At(optimizer.Steps);
        }
        optimizer.Step(LastLearningRate);
    }
}
