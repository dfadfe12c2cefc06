using System.Numerics.Tensors;

namespace Digits.Neural.Optimizers;

/// <summary>Global gradient-norm clipping (Pascanu, Mikolov &amp; Bengio, ICML 2013), like PyTorch's <c>clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all <paramref name="gradients"/> by maxNorm / (norm + 1e-6) when their L2 norm exceeds
    /// <paramref name="maxNorm"/>, and returns the norm before clipping.
    /// </summary>
    public static float ClipGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "must be positive");
        }
        float norm = TensorPrimitives.Norm(gradients);
        float coefficient = maxNorm / (norm + 1e-6f);
        if (coefficient < 1f)
        {
            TensorPrimitives.Multiply(gradients, coefficient, gradients);
        }
        return norm;
    }
}
