using Digits.Tensors;

namespace Digits.Neural.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay added to the gradient,
/// matching PyTorch's <c>torch.optim.SGD</c> with dampening 0.
/// </summary>
public sealed class Sgd : Optimizer
{
    public Sgd(ParameterStore store, float momentum = 0f, bool nesterov = false, float weightDecay = 0f, bool decayAll = false)
        : base(store, weightDecay, decayAll)
    {
        if (!(momentum is >= 0f and < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "must be in [0, 1)");
        }
        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov momentum needs a positive momentum", nameof(nesterov));
        }
        Momentum = momentum;
        Nesterov = nesterov;
        Velocity = new float[store.Values.Length];
    }

    public float Momentum { get; }

    public bool Nesterov { get; }

    /// <summary>The momentum buffer, laid out like <see cref="ParameterStore.Values"/>.</summary>
    public float[] Velocity { get; }

    protected override void Update(int offset, int length, float learningRate, float weightDecay) =>
        OptimizerKernels.Sgd(Store.Values.AsSpan(offset, length), Store.Gradients.AsSpan(offset, length),
            Velocity.AsSpan(offset, length), learningRate, Momentum, Nesterov, weightDecay);
}
