using Digits.Classical;

namespace Digits.Tests.Classical;

public class LbfgsTests
{
    /// <summary>Rosenbrock's function (a = 1, b = 100) in n dimensions; its minimum is 0 at (1, …, 1).</summary>
    private static double Rosenbrock(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient.Clear();
        double f = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = 1 - x[i], b = x[i + 1] - x[i] * x[i];
            f += a * a + 100 * b * b;
            gradient[i] += -2 * a - 400 * x[i] * b;
            gradient[i + 1] += 200 * b;
        }
        return f;
    }

    [Fact]
    public void Rosenbrock_converges_to_its_minimum_from_the_classic_start()
    {
        double[] x = [-1.2, 1, -1.2, 1, -1.2, 1];
        var result = new Lbfgs<double>(x.Length, new LbfgsOptions { GradientTolerance = 1e-8, RelativeObjectiveTolerance = 0 })
            .Minimize(Rosenbrock, x);

        Assert.Equal(LbfgsStopReason.GradientTolerance, result.Reason);
        Assert.True(result.Objective < 1e-12, $"f = {result.Objective:g3}");
        foreach (double xi in x)
            Assert.Equal(1, xi, 1e-5);
        Assert.True(result.Iterations < 200, $"{result.Iterations} iterations");
    }

    [Fact]
    public void Ill_conditioned_float_quadratic_converges_to_its_known_minimizer()
    {
        // f(x) = ½ Σ hᵢ (xᵢ − cᵢ)² with curvatures from 1 to 1000: minimum 0 at c.
        const int n = 50;
        float[] h = new float[n], c = new float[n];
        for (int i = 0; i < n; i++)
        {
            h[i] = MathF.Pow(1000f, i / (n - 1f));
            c[i] = MathF.Sin(i);
        }
        double Quadratic(ReadOnlySpan<float> x, Span<float> gradient)
        {
            double f = 0;
            for (int i = 0; i < n; i++)
            {
                double r = x[i] - c[i];
                f += 0.5 * h[i] * r * r;
                gradient[i] = (float)(h[i] * r);
            }
            return f;
        }
        float[] x = new float[n];

        var result = new Lbfgs<float>(n, new LbfgsOptions { GradientTolerance = 1e-3 }).Minimize(Quadratic, x);

        Assert.Equal(LbfgsStopReason.GradientTolerance, result.Reason);
        for (int i = 0; i < n; i++)
            Assert.Equal(c[i], x[i], 1e-3f);
    }

    [Fact]
    public void Every_accepted_step_satisfies_the_strong_Wolfe_conditions()
    {
        var options = new LbfgsOptions { GradientTolerance = 1e-10, RelativeObjectiveTolerance = 0, MaxIterations = 60 };
        var steps = new List<LbfgsStep>();
        double[] x = [-1.2, 1, 0.5, -0.3];

        new Lbfgs<double>(x.Length, options).Minimize(Rosenbrock, x, steps.Add);

        Assert.NotEmpty(steps);
        foreach (var s in steps)
        {
            Assert.True(s.InitialSlope < 0, $"step {s.Iteration}: not a descent direction");
            Assert.True(s.Objective <= s.PreviousObjective + options.SufficientDecrease * s.StepLength * s.InitialSlope,
                $"step {s.Iteration}: no sufficient decrease");
            Assert.True(Math.Abs(s.FinalSlope) <= options.Curvature * Math.Abs(s.InitialSlope),
                $"step {s.Iteration}: |φ'(α)| = {Math.Abs(s.FinalSlope):g3} > c2·|φ'(0)| = {options.Curvature * Math.Abs(s.InitialSlope):g3}");
        }
    }

    [Fact]
    public void Cubic_trial_step_is_the_exact_minimizer_of_a_cubic_inside_the_bracket()
    {
        // φ(α) = (α − 1)³ − 3(α − 1) has its local minimum at α = 2; bracket [1.5, 3].
        static (double F, double D) Phi(double a) => (Math.Pow(a - 1, 3) - 3 * (a - 1), 3 * Math.Pow(a - 1, 2) - 3);
        var (fa, da) = Phi(1.5);
        var (fb, db) = Phi(3);

        Assert.Equal(2, LineSearch.TrialStep(1.5, fa, da, 3, fb, db), 1e-12);
    }

    [Fact]
    public void Options_out_of_range_are_named_with_their_value()
    {
        var memory = Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgs<double>(3, new LbfgsOptions { Memory = 0 }));
        Assert.Equal("Memory", memory.ParamName);
        Assert.Equal(0, memory.ActualValue);
        var curvature = Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgs<double>(3, new LbfgsOptions { Curvature = 1.5 }));
        Assert.Equal("Curvature", curvature.ParamName);
    }
}
