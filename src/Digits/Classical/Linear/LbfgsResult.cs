namespace Digits.Classical;

/// <summary>Why <see cref="Lbfgs{T}.Minimize"/> stopped.</summary>
public enum LbfgsStopReason
{
    /// <summary>The largest gradient component reached <see cref="LbfgsOptions.GradientTolerance"/>.</summary>
    GradientTolerance,

    /// <summary>A step lowered the objective by less than <see cref="LbfgsOptions.RelativeObjectiveTolerance"/>.</summary>
    ObjectiveTolerance,

    /// <summary><see cref="LbfgsOptions.MaxIterations"/> steps were taken.</summary>
    MaxIterations,

    /// <summary>
    /// No step along the search direction met the strong Wolfe conditions; usually rounding noise in a nearly converged
    /// objective. The parameters are left at the last accepted point.
    /// </summary>
    LineSearchFailed,
}

/// <summary>The outcome of a minimization: the final objective and gradient size, and the work done.</summary>
/// <param name="Objective">f at the returned parameters.</param>
/// <param name="GradientNorm">The largest gradient component magnitude there (infinity norm).</param>
/// <param name="Iterations">Accepted steps.</param>
/// <param name="Evaluations">Calls of the objective, line searches included.</param>
public readonly record struct LbfgsResult(double Objective, double GradientNorm, int Iterations, int Evaluations, LbfgsStopReason Reason);

/// <summary>
/// One accepted step x ← x + α·d, reported to an observer: enough to check the strong Wolfe conditions
/// (φ(α) ≤ φ(0) + c1·α·φ'(0) and |φ'(α)| ≤ c2·|φ'(0)|, where φ(α) = f(x + αd)) and to log progress.
/// </summary>
/// <param name="Iteration">1 for the first accepted step.</param>
/// <param name="StepLength">α.</param>
/// <param name="PreviousObjective">φ(0).</param>
/// <param name="Objective">φ(α).</param>
/// <param name="InitialSlope">φ'(0) = ∇f(x)·d, negative for a descent direction.</param>
/// <param name="FinalSlope">φ'(α) = ∇f(x + αd)·d.</param>
/// <param name="GradientNorm">The largest gradient component magnitude at the new point.</param>
public readonly record struct LbfgsStep(
    int Iteration, double StepLength, double PreviousObjective, double Objective, double InitialSlope, double FinalSlope, double GradientNorm);
