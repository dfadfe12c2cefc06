using System.Numerics;
using System.Numerics.Tensors;

namespace Digits.Classical;

/// <summary>
/// Limited-memory BFGS (Nocedal 1980, "Updating quasi-Newton matrices with limited storage"; Liu &amp; Nocedal 1989,
/// "On the limited memory BFGS method for large scale optimization") for a smooth objective of float or double
/// parameters. Each iteration forms d = −H·∇f with the two-loop recursion over the last m pairs
/// s = x_{k+1} − x_k, y = ∇f_{k+1} − ∇f_k, scaled by γ = s·y / y·y (Nocedal &amp; Wright eq. 7.20), and steps along d by
/// a strong Wolfe line search (<see cref="LineSearch"/>), which keeps s·y &gt; 0 and so H positive definite.
/// </summary>
/// <remarks>
/// All buffers are allocated by the constructor: an iteration allocates nothing, and one instance can minimize many
/// objectives of the same dimension in turn (not concurrently). Vector arithmetic is in <typeparamref name="T"/>;
/// the scalars of the recursion and the line search are doubles.
/// </remarks>
public sealed class Lbfgs<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LbfgsOptions options;
    private readonly T[][] s;
    private readonly T[][] y;
    private readonly double[] rho;
    private readonly double[] alpha;
    private readonly T[] gradient;
    private readonly T[] direction;
    private readonly T[] trialX;
    private readonly T[] trialGradient;

    /// <param name="dimension">The number of parameters.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bad dimension or option; the exception names it.</exception>
    public Lbfgs(int dimension, LbfgsOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        this.options = options ?? new LbfgsOptions();
        this.options.Validate();
        Dimension = dimension;
        int m = this.options.Memory;
        s = new T[m][];
        y = new T[m][];
        for (int i = 0; i < m; i++)
        {
            s[i] = new T[dimension];
            y[i] = new T[dimension];
        }
        rho = new double[m];
        alpha = new double[m];
        gradient = new T[dimension];
        direction = new T[dimension];
        trialX = new T[dimension];
        trialGradient = new T[dimension];
    }

    public int Dimension { get; }

    /// <summary>
    /// Minimizes <paramref name="function"/> starting from <paramref name="x"/>, which holds the result on return:
    /// the last accepted point, whatever the stop reason.
    /// </summary>
    /// <param name="onStep">Called after every accepted step (for progress logs and tests); may be null.</param>
    /// <param name="cancellationToken">Checked before every objective evaluation, line searches included, so a
    /// cancelled minimization stops within one evaluation and throws <see cref="OperationCanceledException"/>.</param>
    public LbfgsResult Minimize(DifferentiableFunction<T> function, Span<T> x, Action<LbfgsStep>? onStep = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (x.Length != Dimension)
            throw new ArgumentException($"has {x.Length} elements, the optimizer was made for {Dimension}", nameof(x));

        int m = options.Memory;
        cancellationToken.ThrowIfCancellationRequested();
        double objective = function(x, gradient);
        int evaluations = 1;
        double gradientNorm = MaxMagnitude(gradient);
        if (!double.IsFinite(objective))
            throw new ArgumentException($"the objective is {objective} at the starting point", nameof(x));
        if (gradientNorm <= options.GradientTolerance)
            return new LbfgsResult(objective, gradientNorm, 0, evaluations, LbfgsStopReason.GradientTolerance);

        int stored = 0, newest = -1;
        for (int iteration = 1; ; iteration++)
        {
            double gamma = stored == 0 ? 1 : 1 / (rho[newest] * Dot(y[newest], y[newest]));
            SearchDirection(stored, newest, gamma);
            double slope = Dot(gradient, direction);
            if (!(slope < 0))
            {
                // Rounding can spoil H near convergence; fall back to steepest descent with a fresh memory.
                stored = 0;
                TensorPrimitives.Negate(gradient, direction);
                slope = Dot(gradient, direction);
            }
            double initialStep = stored == 0 ? Math.Min(1, 1 / Math.Sqrt(-slope)) : 1;
            var outcome = LineSearch.Search(function, x, objective, slope, direction, initialStep, trialX, trialGradient, options,
                cancellationToken);
            evaluations += outcome.Evaluations;
            if (!outcome.Found)
                return new LbfgsResult(objective, gradientNorm, iteration - 1, evaluations, LbfgsStopReason.LineSearchFailed);

            newest = (newest + 1) % m;
            TensorPrimitives.Subtract(trialX, x, s[newest]);
            TensorPrimitives.Subtract(trialGradient, gradient, y[newest]);
            double sy = Dot(s[newest], y[newest]);
            if (sy > 0)
            {
                rho[newest] = 1 / sy;
                stored = Math.Min(stored + 1, m);
            }
            else
            {
                // Keep H positive definite: drop the pair. Its slot held the oldest pair, which is now gone too.
                newest = (newest + m - 1) % m;
                stored = Math.Min(stored, m - 1);
            }
            trialX.CopyTo(x);
            trialGradient.CopyTo(gradient);
            double previous = objective;
            objective = outcome.Objective;
            gradientNorm = MaxMagnitude(gradient);
            onStep?.Invoke(new LbfgsStep(iteration, outcome.Step, previous, objective, slope, outcome.Slope, gradientNorm));

            if (gradientNorm <= options.GradientTolerance)
                return new LbfgsResult(objective, gradientNorm, iteration, evaluations, LbfgsStopReason.GradientTolerance);
            if (previous - objective <= options.RelativeObjectiveTolerance * Math.Max(Math.Max(Math.Abs(previous), Math.Abs(objective)), 1))
                return new LbfgsResult(objective, gradientNorm, iteration, evaluations, LbfgsStopReason.ObjectiveTolerance);
            if (iteration >= options.MaxIterations)
                return new LbfgsResult(objective, gradientNorm, iteration, evaluations, LbfgsStopReason.MaxIterations);
        }
    }

    /// <summary>Two-loop recursion (Nocedal &amp; Wright Algorithm 7.4): direction = −H·gradient, H₀ = γ·I.</summary>
    private void SearchDirection(int stored, int newest, double gamma)
    {
        int m = options.Memory;
        Span<T> q = direction;
        TensorPrimitives.Negate(gradient, q);
        for (int j = 0, i = newest; j < stored; j++, i = (i + m - 1) % m)
        {
            alpha[i] = rho[i] * Dot(s[i], q);
            TensorPrimitives.MultiplyAdd(y[i], T.CreateChecked(-alpha[i]), q, q);
        }
        TensorPrimitives.Multiply(q, T.CreateChecked(gamma), q);
        for (int j = 0, i = (newest - stored + 1 + m) % m; j < stored; j++, i = (i + 1) % m)
        {
            double beta = rho[i] * Dot(y[i], q);
            TensorPrimitives.MultiplyAdd(s[i], T.CreateChecked(alpha[i] - beta), q, q);
        }
    }

    private static double Dot(ReadOnlySpan<T> a, ReadOnlySpan<T> b) => double.CreateChecked(TensorPrimitives.Dot(a, b));

    private static double MaxMagnitude(ReadOnlySpan<T> values) => double.CreateChecked(T.Abs(TensorPrimitives.MaxMagnitude(values)));
}
