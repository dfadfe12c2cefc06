namespace Digits.Classical;

/// <summary>
/// Settings of <see cref="Lbfgs{T}"/>. The defaults are those of common L-BFGS codes (Liu &amp; Nocedal 1989;
/// Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., 2006, ch. 3 and 7).
/// </summary>
public sealed record LbfgsOptions
{
    /// <summary>Correction pairs kept (m). 3–20 is the useful range; 10 rarely loses to more.</summary>
    public int Memory { get; init; } = 10;

    /// <summary>Most iterations (accepted steps) before giving up on the tolerances.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Stop when the largest gradient component, in units of the objective per unit parameter, is at most this.</summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>
    /// Stop when one step lowers the objective by at most this fraction: (f_prev − f) / max(|f_prev|, |f|, 1) ≤ tolerance
    /// (the <c>ftol</c> test of L-BFGS-B).
    /// </summary>
    public double RelativeObjectiveTolerance { get; init; } = 1e-9;

    /// <summary>c1 of the sufficient-decrease (Armijo) condition f(x + αd) ≤ f(x) + c1·α·∇f·d.</summary>
    public double SufficientDecrease { get; init; } = 1e-4;

    /// <summary>c2 of the strong curvature condition |∇f(x + αd)·d| ≤ c2·|∇f(x)·d|; 0.9 suits quasi-Newton directions.</summary>
    public double Curvature { get; init; } = 0.9;

    /// <summary>Most objective evaluations one line search may spend before it gives up.</summary>
    public int MaxLineSearchEvaluations { get; init; } = 25;

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public void Validate()
    {
        if (Memory < 1)
            throw new ArgumentOutOfRangeException(nameof(Memory), Memory, "must be at least 1");
        if (MaxIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "must be at least 1");
        if (!(GradientTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(GradientTolerance), GradientTolerance, "must be non-negative");
        if (!(RelativeObjectiveTolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(RelativeObjectiveTolerance), RelativeObjectiveTolerance, "must be non-negative");
        if (!(SufficientDecrease > 0 && SufficientDecrease < 0.5))
            throw new ArgumentOutOfRangeException(nameof(SufficientDecrease), SufficientDecrease, "must be in (0, 0.5)");
        if (!(Curvature > SufficientDecrease && Curvature < 1))
            throw new ArgumentOutOfRangeException(nameof(Curvature), Curvature, "must be in (SufficientDecrease, 1)");
        if (MaxLineSearchEvaluations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxLineSearchEvaluations), MaxLineSearchEvaluations, "must be at least 1");
    }
}
