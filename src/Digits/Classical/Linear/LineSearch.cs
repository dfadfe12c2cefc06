using System.Numerics;
using System.Numerics.Tensors;

namespace Digits.Classical;

/// <summary>
/// A line search that returns a step meeting the strong Wolfe conditions: the bracketing phase and the zoom phase of
/// Nocedal &amp; Wright, <i>Numerical Optimization</i> (2nd ed., 2006), Algorithms 3.5 and 3.6, with the safeguarded
/// cubic interpolation of their equation 3.59 to choose trial steps inside a bracket.
/// </summary>
/// <remarks>
/// With φ(α) = f(x + α·d), an accepted α satisfies φ(α) ≤ φ(0) + c1·α·φ'(0) (sufficient decrease) and
/// |φ'(α)| ≤ c2·|φ'(0)| (strong curvature). The accepted point is always the last one evaluated, so its value and
/// gradient are left in the trial buffers and the caller need not evaluate it again.
/// </remarks>
internal static class LineSearch
{
    /// <summary>How far doubling may carry the step: beyond it the objective is taken as unbounded below.</summary>
    private const double MaxStep = 1e10;

    /// <summary>Trial steps stay this fraction of the bracket away from its ends, so the bracket shrinks geometrically.</summary>
    private const double BracketMargin = 0.1;

    /// <summary>The outcome; on failure the trial buffers hold an arbitrary evaluated point.</summary>
    internal readonly record struct Outcome(bool Found, double Step, double Objective, double Slope, int Evaluations);

    /// <summary>
    /// Searches along <paramref name="direction"/> from <paramref name="x"/>, where f = <paramref name="objective"/>
    /// and φ'(0) = <paramref name="slope"/> &lt; 0. On success <paramref name="trialX"/> and
    /// <paramref name="trialGradient"/> hold the accepted point and its gradient. <paramref name="cancellationToken"/>
    /// is checked before every evaluation.
    /// </summary>
    public static Outcome Search<T>(DifferentiableFunction<T> function, ReadOnlySpan<T> x, double objective, double slope,
        ReadOnlySpan<T> direction, double initialStep, Span<T> trialX, Span<T> trialGradient, LbfgsOptions options,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double c1 = options.SufficientDecrease, c2 = options.Curvature;
        double previousStep = 0, previousValue = objective, previousSlope = slope;
        double step = initialStep;
        int evaluations = 0;
        while (evaluations < options.MaxLineSearchEvaluations)
        {
            (double value, double stepSlope) = Evaluate(function, x, direction, step, trialX, trialGradient, cancellationToken);
            evaluations++;
            if (value > objective + c1 * step * slope || (evaluations > 1 && value >= previousValue) || !double.IsFinite(value))
            {
                return Zoom(function, x, objective, slope, direction, trialX, trialGradient, options, cancellationToken, evaluations,
                    previousStep, previousValue, previousSlope, step, value, stepSlope);
            }
            if (Math.Abs(stepSlope) <= -c2 * slope)
                return new Outcome(true, step, value, stepSlope, evaluations);
            if (stepSlope >= 0)
            {
                return Zoom(function, x, objective, slope, direction, trialX, trialGradient, options, cancellationToken, evaluations,
                    step, value, stepSlope, previousStep, previousValue, previousSlope);
            }
            (previousStep, previousValue, previousSlope) = (step, value, stepSlope);
            if (step >= MaxStep)
                break;
            step = Math.Min(2 * step, MaxStep);
        }
        return new Outcome(false, step, previousValue, previousSlope, evaluations);
    }

    /// <summary>
    /// Algorithm 3.6: <paramref name="low"/> is the best step so far that satisfies sufficient decrease, and the
    /// interval between it and <paramref name="high"/> holds steps that satisfy both conditions.
    /// </summary>
    private static Outcome Zoom<T>(DifferentiableFunction<T> function, ReadOnlySpan<T> x, double objective, double slope,
        ReadOnlySpan<T> direction, Span<T> trialX, Span<T> trialGradient, LbfgsOptions options,
        CancellationToken cancellationToken, int evaluations,
        double low, double lowValue, double lowSlope, double high, double highValue, double highSlope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double c1 = options.SufficientDecrease, c2 = options.Curvature;
        while (evaluations < options.MaxLineSearchEvaluations)
        {
            double width = Math.Abs(high - low);
            if (width <= 1e-12 * Math.Max(Math.Abs(low), Math.Abs(high)) || width == 0)
                break;
            double step = TrialStep(low, lowValue, lowSlope, high, highValue, highSlope);
            (double value, double stepSlope) = Evaluate(function, x, direction, step, trialX, trialGradient, cancellationToken);
            evaluations++;
            if (value > objective + c1 * step * slope || value >= lowValue || !double.IsFinite(value))
            {
                (high, highValue, highSlope) = (step, value, stepSlope);
                continue;
            }
            if (Math.Abs(stepSlope) <= -c2 * slope)
                return new Outcome(true, step, value, stepSlope, evaluations);
            if (stepSlope * (high - low) >= 0)
                (high, highValue, highSlope) = (low, lowValue, lowSlope);
            (low, lowValue, lowSlope) = (step, value, stepSlope);
        }
        return new Outcome(false, low, lowValue, lowSlope, evaluations);
    }

    /// <summary>
    /// The minimizer of the cubic that matches φ and φ' at both ends (Nocedal &amp; Wright eq. 3.59), kept at least
    /// <see cref="BracketMargin"/> of the bracket from either end; the midpoint when the cubic has no minimizer there.
    /// </summary>
    internal static double TrialStep(double a, double fa, double da, double b, double fb, double db)
    {
        double lo = Math.Min(a, b), hi = Math.Max(a, b), margin = BracketMargin * (hi - lo);
        double d1 = da + db - 3 * (fa - fb) / (a - b);
        double discriminant = d1 * d1 - da * db;
        if (double.IsFinite(fb) && double.IsFinite(db) && discriminant >= 0)
        {
            double d2 = Math.Sign(b - a) * Math.Sqrt(discriminant);
            double step = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
            if (double.IsFinite(step))
                return Math.Clamp(step, lo + margin, hi - margin);
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>φ(step) and φ'(step): writes x + step·d and the gradient there into the trial buffers.</summary>
    private static (double Value, double Slope) Evaluate<T>(DifferentiableFunction<T> function, ReadOnlySpan<T> x,
        ReadOnlySpan<T> direction, double step, Span<T> trialX, Span<T> trialGradient, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        cancellationToken.ThrowIfCancellationRequested();
        TensorPrimitives.MultiplyAdd(direction, T.CreateChecked(step), x, trialX);
        double value = function(trialX, trialGradient);
        return (value, double.CreateChecked(TensorPrimitives.Dot(trialGradient, direction)));
    }
}
