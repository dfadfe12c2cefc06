namespace Digits.Classical;

/// <summary>
/// An objective to minimize: returns f(<paramref name="x"/>) and writes ∇f(<paramref name="x"/>) into
/// <paramref name="gradient"/> (same length as x, overwritten, not accumulated).
/// </summary>
public delegate double DifferentiableFunction<T>(ReadOnlySpan<T> x, Span<T> gradient);
