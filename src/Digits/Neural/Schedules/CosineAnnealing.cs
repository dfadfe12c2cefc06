namespace Digits.Neural.Schedules;

/// <summary>
/// Half-cosine interpolation, PyTorch's <c>_annealing_cos</c>: shared by the learning-rate and momentum schedules
/// so the one-cycle policy (Smith 2018) moves both on exactly the same curve.
/// </summary>
internal static class CosineAnnealing
{
    /// <summary>From <paramref name="start"/> (fraction 0) to <paramref name="end"/> (fraction 1), clamping the fraction to [0, 1].</summary>
    public static float Between(float start, float end, double fraction) =>
        (float)(end + (start - end) * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(fraction, 0, 1))));
}
