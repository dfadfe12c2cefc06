using System.Numerics;
using System.Numerics.Tensors;

namespace Digits.Tensors;

/// <summary>The check that guards against NaN and infinity: diverged training, corrupt weights, overflowed outputs.</summary>
public static class Finite
{
    /// <summary>Whether every value is finite; true for an empty span (where TensorPrimitives.IsFiniteAll says false).</summary>
    public static bool All<T>(ReadOnlySpan<T> values) where T : IFloatingPointIeee754<T> =>
        values.IsEmpty || TensorPrimitives.IsFiniteAll(values);
}
