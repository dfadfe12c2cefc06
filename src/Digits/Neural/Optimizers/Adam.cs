using Digits.Tensors;

namespace Digits.Neural.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba, ICLR 2015), matching PyTorch's <c>torch.optim.Adam</c>: weight decay, if any, is added
/// to the gradient as L2. <see cref="AdamW"/> decouples it instead.
/// </summary>
public class Adam : Optimizer
{
    private float beta1;

    public Adam(ParameterStore store, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f,
        float weightDecay = 0f, bool decayAll = false)
        : base(store, weightDecay, decayAll)
    {
        if (!(beta2 is >= 0f and < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "must be in [0, 1)");
        }
        if (!(epsilon > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "must be positive");
        }
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        FirstMoment = new float[store.Values.Length];
        SecondMoment = new float[store.Values.Length];
    }

    /// <summary>
    /// Decay rate of the first moment, used by the next <see cref="Optimizer.Step"/>. Settable between steps so a
    /// schedule can cycle it against the learning rate (Smith 2018, see <see cref="Schedules.OneCycleMomentumSchedule"/>).
    /// As in PyTorch's Adam, the bias correction 1 − β1ᵗ uses the current β1, not the product of the past ones, so
    /// resuming needs only the step count.
    /// </summary>
    public float Beta1
    {
        get => beta1;
        set
        {
            if (!(value is >= 0f and < 1f))
            {
                throw new ArgumentOutOfRangeException(nameof(Beta1), value, "must be in [0, 1)");
            }
            beta1 = value;
        }
    }

    public float Beta2 { get; }

    public float Epsilon { get; }

    /// <summary>Running mean of gradients (m), laid out like <see cref="ParameterStore.Values"/>.</summary>
    public float[] FirstMoment { get; }

    /// <summary>Running mean of squared gradients (v), laid out like <see cref="ParameterStore.Values"/>.</summary>
    public float[] SecondMoment { get; }

    /// <summary>Whether decay shrinks the weights directly rather than adding L2 to the gradient.</summary>
    protected virtual bool DecoupledDecay => false;

    protected override void Update(int offset, int length, float learningRate, float weightDecay)
    {
        Span<float> values = Store.Values.AsSpan(offset, length);
        if (DecoupledDecay && weightDecay != 0f)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(values, 1f - learningRate * weightDecay, values);
        }
        float bias1 = 1f - MathF.Pow(Beta1, Steps);
        float bias2 = 1f - MathF.Pow(Beta2, Steps);
        OptimizerKernels.Adam(values, Store.Gradients.AsSpan(offset, length),
            FirstMoment.AsSpan(offset, length), SecondMoment.AsSpan(offset, length),
            Beta1, Beta2, DecoupledDecay ? 0f : weightDecay, learningRate / bias1, 1f / MathF.Sqrt(bias2), Epsilon);
    }
}
