namespace Digits.Neural.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR
/// 2019), matching PyTorch's <c>torch.optim.AdamW</c>: each step first shrinks p by the factor 1 − lr·λ, then
/// takes the Adam step on the raw gradient, so decay is not rescaled by the adaptive denominator.
/// </summary>
public sealed class AdamW(ParameterStore store, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f,
    float weightDecay = 0.01f, bool decayAll = false)
    : Adam(store, beta1, beta2, epsilon, weightDecay, decayAll)
{
    protected override bool DecoupledDecay => true;
}
