using Digits.Classical;

namespace Digits.Tests.Classical;

public class SmoSolverTests
{
    private static readonly PolynomialKernel Linear = new(gamma: 1, coef0: 0, degree: 1);

    [Fact]
    public void Four_point_linear_problem_matches_the_hand_solved_dual()
    {
        // The maximal margin separator of (2,0)+ and (0,0)− is x₁ = 1: w = (1, 0), b = −1, so ρ = 1.
        // w = Σ α_i y_i x_i = α₁(2, 0) forces α₁ = ½, and yᵀα = 0 forces α₂ = ½. The far points (3,1)+ and (−1,−1)−
        // lie outside the margin (f = 2 and −2), so their α are 0. The objective is ½‖w‖² − Σα = ½ − 1 = −½.
        float[] features = [2, 0, 0, 0, 3, 1, -1, -1];
        sbyte[] labels = [1, -1, 1, -1];

        var solution = SvmProblems.Solve(Linear, features, labels, c: 10, tolerance: 1e-9);

        Assert.Equal([0.5, 0.5, 0, 0], solution.Alpha.Select(a => Math.Round(a, 6)));
        Assert.Equal(1.0, solution.Rho, 6);
        Assert.Equal(-0.5, solution.Objective, 6);
        Assert.Equal([1.0, -1.0, 2.0, -2.0], solution.TrainingDecisions.Select(f => Math.Round(f, 6)));
    }

    [Fact]
    public void Tight_box_puts_both_multipliers_at_C()
    {
        // With C = 0.1 < ½ the margin cannot be reached: both α sit at C, and w = 0.1·(2, 0) = (0.2, 0).
        // The gradient Qα − e is (4·0.1 − 1, −1) = (−0.6, −1).
        float[] features = [2, 0, 0, 0];
        sbyte[] labels = [1, -1];

        var solution = SvmProblems.Solve(Linear, features, labels, c: 0.1, tolerance: 1e-9);

        Assert.Equal(0.1, solution.Alpha[0], 9);
        Assert.Equal(0.1, solution.Alpha[1], 9);
        // No free vector pins ρ, so it is the middle of the feasible interval [y₁∇f₁, y₂∇f₂] = [−0.6, 1]: ρ = 0.2.
        Assert.Equal(0.2, solution.Rho, 9);
        Assert.Equal(0.2, solution.TrainingDecisions[0], 6);
        Assert.Equal(-0.2, solution.TrainingDecisions[1], 6);
    }

    [Fact]
    public void KKT_conditions_hold_at_the_end_on_a_random_problem()
    {
        var (features, labels) = SvmProblems.Noisy(200, seed: 11);
        var kernel = new RbfKernel(2.0);
        const double c = 2.0, tolerance = 1e-3;

        var solution = SvmProblems.Solve(kernel, features, labels, c, tolerance);

        // libsvm stops when max over I_up of −y∇f minus min over I_low of −y∇f is below ε; with ρ between them,
        // every y_i f(x_i) is within ε of where the KKT conditions put it.
        const double slack = tolerance + 1e-5;
        int free = 0, atBound = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double margin = labels[i] * SvmProblems.Decision(kernel, features, labels, solution, i);
            double alpha = solution.Alpha[i];
            if (alpha == 0)
            {
                Assert.True(margin >= 1 - slack, $"α_{i} = 0 but y f = {margin}");
            }
            else if (alpha == c)
            {
                atBound++;
                Assert.True(margin <= 1 + slack, $"α_{i} = C but y f = {margin}");
            }
            else
            {
                free++;
                Assert.True(Math.Abs(margin - 1) <= slack, $"0 < α_{i} < C but y f = {margin}");
            }
            Assert.InRange(alpha, 0, c);
        }
        Assert.True(free > 0 && atBound > 0, $"the problem should have free ({free}) and bounded ({atBound}) support vectors");
        Assert.Equal(0, solution.Alpha.Select((a, i) => a * labels[i]).Sum(), 9);
    }

    [Fact]
    public void Shrinking_on_and_off_reach_the_same_optimum()
    {
        var (features, labels) = SvmProblems.Noisy(600, seed: 5);
        var kernel = new RbfKernel(4.0);

        var shrunk = SvmProblems.Solve(kernel, features, labels, c: 10, tolerance: 1e-5, shrinking: true);
        var full = SvmProblems.Solve(kernel, features, labels, c: 10, tolerance: 1e-5, shrinking: false);

        Assert.True(shrunk.Iterations > 1000, "the problem should be long enough for shrinking to run");
        Assert.Equal(full.Objective, shrunk.Objective, 1e-4 * Math.Abs(full.Objective));
        Assert.Equal(full.Rho, shrunk.Rho, 1e-3);
        for (int i = 0; i < labels.Length; i++)
            Assert.Equal(full.TrainingDecisions[i], shrunk.TrainingDecisions[i], 1e-2);
    }

    [Fact]
    public void Rows_computed_in_blocks_or_one_at_a_time_give_the_same_optimum()
    {
        var (features, labels) = SvmProblems.Noisy(300, seed: 8);
        var kernel = new RbfKernel(2.0);

        var blocked = SvmProblems.Solve(kernel, features, labels, c: 1, tolerance: 1e-5, blockRows: 32);
        var single = SvmProblems.Solve(kernel, features, labels, c: 1, tolerance: 1e-5, blockRows: 1);

        Assert.Equal(single.Objective, blocked.Objective, 1e-4 * Math.Abs(single.Objective));
        for (int i = 0; i < labels.Length; i++)
            Assert.Equal(single.TrainingDecisions[i], blocked.TrainingDecisions[i], 1e-2);
    }

    [Fact]
    public void A_cache_of_two_rows_still_reaches_the_optimum()
    {
        var (features, labels) = SvmProblems.Noisy(150, seed: 3);
        var kernel = new RbfKernel(2.0);

        var roomy = SvmProblems.Solve(kernel, features, labels, c: 1, tolerance: 1e-5);
        var starved = SvmProblems.Solve(kernel, features, labels, c: 1, tolerance: 1e-5, cacheBytes: 0);

        Assert.Equal(roomy.Objective, starved.Objective, 1e-4 * Math.Abs(roomy.Objective));
    }

    [Fact]
    public void Solver_arguments_are_checked_by_name()
    {
        var q = new SignedKernelMatrix(Linear, [1, 0, 0, 1], 2, [1, -1], 1 << 20, parallel: false);

        Assert.Equal("c", Assert.Throws<ArgumentOutOfRangeException>(() => new SmoSolver(q, [1, -1], 0, 1e-3, true)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new SmoSolver(q, [1, -1], 1, 0, true)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => new SmoSolver(q, [1], 1, 1e-3, true)).ParamName);
    }
}
