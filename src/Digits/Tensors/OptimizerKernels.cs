using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// Fused elementwise parameter updates: one pass over parameters, gradients and optimizer state, Vector512 on
/// AVX-512, Vector256 elsewhere, a scalar tail. The operation order matches PyTorch's single-tensor optimizers.
/// </summary>
public static class OptimizerKernels
{
    /// <summary>
    /// Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) for one tensor:
    /// g' = g + l2·p; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²; p −= stepSize · m / (√v · invSqrtBias2 + ε),
    /// with stepSize = lr / (1 − β1ᵗ) and invSqrtBias2 = 1/√(1 − β2ᵗ). All spans have the same length.
    /// </summary>
    public static void Adam(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v,
        float beta1, float beta2, float l2, float stepSize, float invSqrtBias2, float epsilon)
    {
        int length = parameters.Length;
        if (gradients.Length != length || m.Length != length || v.Length != length)
        {
            throw new ArgumentException($"parameters {length}, gradients {gradients.Length}, m {m.Length}, v {v.Length} must match");
        }
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float m0 = ref MemoryMarshal.GetReference(m);
        ref float v0 = ref MemoryMarshal.GetReference(v);
        float oneMinusBeta1 = 1f - beta1, oneMinusBeta2 = 1f - beta2;
        int i = 0;
        if (Avx512F.IsSupported)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> pi = Vector512.LoadUnsafe(ref p, (nuint)i);
                Vector512<float> gi = Vector512.LoadUnsafe(ref g, (nuint)i) + l2 * pi;
                Vector512<float> mi = beta1 * Vector512.LoadUnsafe(ref m0, (nuint)i) + oneMinusBeta1 * gi;
                Vector512<float> vi = beta2 * Vector512.LoadUnsafe(ref v0, (nuint)i) + oneMinusBeta2 * (gi * gi);
                mi.StoreUnsafe(ref m0, (nuint)i);
                vi.StoreUnsafe(ref v0, (nuint)i);
                (pi - stepSize * (mi / (Vector512.Sqrt(vi) * invSqrtBias2 + Vector512.Create(epsilon)))).StoreUnsafe(ref p, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> pi = Vector256.LoadUnsafe(ref p, (nuint)i);
                Vector256<float> gi = Vector256.LoadUnsafe(ref g, (nuint)i) + l2 * pi;
                Vector256<float> mi = beta1 * Vector256.LoadUnsafe(ref m0, (nuint)i) + oneMinusBeta1 * gi;
                Vector256<float> vi = beta2 * Vector256.LoadUnsafe(ref v0, (nuint)i) + oneMinusBeta2 * (gi * gi);
                mi.StoreUnsafe(ref m0, (nuint)i);
                vi.StoreUnsafe(ref v0, (nuint)i);
                (pi - stepSize * (mi / (Vector256.Sqrt(vi) * invSqrtBias2 + Vector256.Create(epsilon)))).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            float pi = Unsafe.Add(ref p, i);
            float gi = Unsafe.Add(ref g, i) + l2 * pi;
            float mi = beta1 * Unsafe.Add(ref m0, i) + oneMinusBeta1 * gi;
            float vi = beta2 * Unsafe.Add(ref v0, i) + oneMinusBeta2 * (gi * gi);
            Unsafe.Add(ref m0, i) = mi;
            Unsafe.Add(ref v0, i) = vi;
            Unsafe.Add(ref p, i) = pi - stepSize * (mi / (MathF.Sqrt(vi) * invSqrtBias2 + epsilon));
        }
    }

    /// <summary>
    /// SGD with momentum (Polyak 1964; Nesterov form as in Sutskever et al., ICML 2013, written the way PyTorch
    /// does) for one tensor: g' = g + l2·p; buf = μ·buf + g'; d = nesterov ? g' + μ·buf : buf; p −= lr·d.
    /// With μ = 0 this is plain SGD and velocity is left untouched.
    /// </summary>
    public static void Sgd(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity,
        float learningRate, float momentum, bool nesterov, float l2)
    {
        int length = parameters.Length;
        if (gradients.Length != length || velocity.Length != length)
        {
            throw new ArgumentException($"parameters {length}, gradients {gradients.Length}, velocity {velocity.Length} must match");
        }
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float b = ref MemoryMarshal.GetReference(velocity);
        float look = nesterov ? momentum : 0f;
        bool useMomentum = momentum != 0f;
        int i = 0;
        if (Avx512F.IsSupported)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> pi = Vector512.LoadUnsafe(ref p, (nuint)i);
                Vector512<float> gi = Vector512.LoadUnsafe(ref g, (nuint)i) + l2 * pi;
                Vector512<float> d = gi;
                if (useMomentum)
                {
                    Vector512<float> bi = momentum * Vector512.LoadUnsafe(ref b, (nuint)i) + gi;
                    bi.StoreUnsafe(ref b, (nuint)i);
                    d = nesterov ? gi + look * bi : bi;
                }
                (pi - learningRate * d).StoreUnsafe(ref p, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> pi = Vector256.LoadUnsafe(ref p, (nuint)i);
                Vector256<float> gi = Vector256.LoadUnsafe(ref g, (nuint)i) + l2 * pi;
                Vector256<float> d = gi;
                if (useMomentum)
                {
                    Vector256<float> bi = momentum * Vector256.LoadUnsafe(ref b, (nuint)i) + gi;
                    bi.StoreUnsafe(ref b, (nuint)i);
                    d = nesterov ? gi + look * bi : bi;
                }
                (pi - learningRate * d).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            float pi = Unsafe.Add(ref p, i);
            float gi = Unsafe.Add(ref g, i) + l2 * pi;
            float d = gi;
            if (useMomentum)
            {
                float bi = momentum * Unsafe.Add(ref b, i) + gi;
                Unsafe.Add(ref b, i) = bi;
                d = nesterov ? gi + look * bi : bi;
            }
            Unsafe.Add(ref p, i) = pi - learningRate * d;
        }
    }
}
