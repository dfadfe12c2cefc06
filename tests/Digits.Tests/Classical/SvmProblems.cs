using Digits.Classical;

namespace Digits.Tests.Classical;

/// <summary>Small two-class problems for the solver tests, built from fixed seeds.</summary>
internal static class SvmProblems
{
    /// <summary>
    /// n points in 2-D, uniform in [−1, 1]², labelled by which side of a wavy curve they fall on, with a tenth of the
    /// labels flipped so that some α reach C.
    /// </summary>
    public static (float[] Features, sbyte[] Labels) Noisy(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var features = new float[2 * n];
        var labels = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            float x = 2 * rng.NextFloat() - 1, y = 2 * rng.NextFloat() - 1;
            features[2 * i] = x;
            features[2 * i + 1] = y;
            bool above = y > 0.5f * MathF.Sin(3 * x);
            if (rng.NextInt(10) == 0)
                above = !above;
            labels[i] = above ? (sbyte)1 : (sbyte)-1;
        }
        return (features, labels);
    }

    public static SmoSolution Solve(SvmKernel kernel, float[] features, sbyte[] labels, double c, double tolerance,
        bool shrinking = true, int blockRows = 64, long cacheBytes = 1 << 24) =>
        new SmoSolver(new SignedKernelMatrix(kernel, features, 2, labels, cacheBytes, parallel: false),
            labels, c, tolerance, shrinking, blockRows).Solve();

    /// <summary>f(x_t) = Σ α_i y_i k(x_i, x_t) − ρ from the naive kernel, independent of the solver's gradient.</summary>
    public static double Decision(SvmKernel kernel, float[] features, sbyte[] labels, SmoSolution solution, int t)
    {
        double sum = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (solution.Alpha[i] > 0)
                sum += solution.Alpha[i] * labels[i] * kernel.Naive(features.AsSpan(2 * i, 2), features.AsSpan(2 * t, 2));
        }
        return sum - solution.Rho;
    }
}
