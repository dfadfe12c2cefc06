namespace Digits.Classical;

/// <summary>
/// The multi-class SVM of Crammer &amp; Singer (2001, "On the algorithmic implementation of multiclass kernel-based
/// vector machines"), solved by the sequential dual method of Keerthi, Sundararajan, Chang, Hsieh and Lin (KDD 2008,
/// "A sequential dual method for large scale multi-class linear SVMs"), as liblinear implements it, without shrinking.
/// </summary>
/// <remarks>
/// <para>
/// The primal couples the classes: min_W ½ Σₘ ‖wₘ‖² + C Σᵢ maxₘ (1 − δ(m, yᵢ) + wₘ·x̂ᵢ − w_yᵢ·x̂ᵢ), with x̂ = [x; 1] so that
/// each class's last weight is its (penalized) bias. The dual has one vector αᵢ ∈ ℝᵏ per sample:
/// <code>
/// min_α  ½ Σₘ ‖Σᵢ αᵢᵐ x̂ᵢ‖² + Σᵢ Σₘ eᵢᵐ αᵢᵐ   subject to  αᵢᵐ ≤ Cᵢᵐ,  Σₘ αᵢᵐ = 0
/// </code>
/// with eᵢᵐ = 1 − δ(m, yᵢ) and Cᵢᵐ = C when m = yᵢ, 0 otherwise; wₘ = Σᵢ αᵢᵐ x̂ᵢ. The method visits the samples in a
/// random order and minimizes over all of αᵢ at once; that k-variable problem has a closed-form solution after
/// sorting (Keerthi et al., section 3.1, <see cref="SolveSubProblem"/>).
/// </para>
/// <para>
/// The weights are kept feature-major, (features + 1) × classes, so that one sweep over a sample's nonzero pixels
/// gives all k scores, and one more applies all k updates, instead of k sparse dot products and k axpys.
/// </para>
/// <para>
/// It stops when, over a pass, no sample's gradient spread maxₘ Gᵢᵐ − min{Gᵢᵐ : αᵢᵐ &lt; Cᵢᵐ} exceeds the tolerance.
/// </para>
/// </remarks>
internal static unsafe class CrammerSingerSolver
{
    /// <summary>
    /// Solves on <paramref name="samples"/> with labels in 0..classes−1. Writes W (classes × (features + 1), each
    /// class's weights then its bias) and returns the passes taken and whether the tolerance was met.
    /// <paramref name="cancellationToken"/> is checked before every pass.
    /// </summary>
    public static DualSolverOutcome Solve(SparsePixels samples, ReadOnlySpan<byte> labels, int classes, double c,
        double tolerance, int maxPasses, Rng rng, Span<float> w, CancellationToken cancellationToken = default)
    {
        int n = samples.Count, stride = w.Length / classes, d = stride - 1;
        float[] byFeature = new float[stride * classes];
        double[] alpha = new double[n * classes];
        double[] gradient = new double[classes], b = new double[classes], updated = new double[classes], sorted = new double[classes];
        float[] scores = new float[classes], change = new float[classes];
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;

        var outcome = new DualSolverOutcome(maxPasses, false);
        for (int pass = 1; pass <= maxPasses; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rng.Shuffle(order.AsSpan());
            double spread = 0;
            foreach (int i in order)
            {
                double a = samples.SquaredNorms[i] + 1;
                int y = labels[i];
                Span<double> alphaI = alpha.AsSpan(i * classes, classes);
                Scores(samples, i, byFeature, d, scores);
                double minG = double.PositiveInfinity, maxG = double.NegativeInfinity;
                for (int m = 0; m < classes; m++)
                {
                    gradient[m] = (m == y ? 0 : 1) + scores[m];
                    if (alphaI[m] < (m == y ? c : 0) && gradient[m] < minG)
                        minG = gradient[m];
                    maxG = Math.Max(maxG, gradient[m]);
                }
                spread = Math.Max(spread, maxG - minG);
                if (maxG - minG <= 1e-12)
                    continue;
                for (int m = 0; m < classes; m++)
                    b[m] = gradient[m] - a * alphaI[m];
                SolveSubProblem(a, y, c, b, updated, sorted);
                for (int m = 0; m < classes; m++)
                {
                    change[m] = (float)(updated[m] - alphaI[m]);
                    alphaI[m] = updated[m];
                }
                AddOuter(samples, i, change, byFeature, d);
            }
            if (spread <= tolerance)
            {
                outcome = new DualSolverOutcome(pass, true);
                break;
            }
        }
        for (int m = 0; m < classes; m++)
        {
            for (int j = 0; j <= d; j++)
                w[m * stride + j] = byFeature[j * classes + m];
        }
        return outcome;
    }

    /// <summary>scores[m] = wₘ·x̂ᵢ for every class m, with W feature-major (features + 1) × classes, bias row last.</summary>
    private static void Scores(SparsePixels samples, int i, float[] byFeature, int biasRow, Span<float> scores)
    {
        int k = scores.Length, start = samples.Offsets[i], end = samples.Offsets[i + 1];
        fixed (float* w = byFeature, z = scores, values = samples.Values)
        fixed (ushort* indices = samples.Indices)
        {
            float* bias = w + biasRow * k;
            for (int m = 0; m < k; m++)
                z[m] = bias[m];
            for (int p = start; p < end; p++)
            {
                float v = values[p];
                float* row = w + indices[p] * k;
                for (int m = 0; m < k; m++)
                    z[m] += row[m] * v;
            }
        }
    }

    /// <summary>wₘ += change[m]·x̂ᵢ for every class m at once: W += x̂ᵢ ⊗ change.</summary>
    private static void AddOuter(SparsePixels samples, int i, ReadOnlySpan<float> change, float[] byFeature, int biasRow)
    {
        int k = change.Length, start = samples.Offsets[i], end = samples.Offsets[i + 1];
        fixed (float* w = byFeature, delta = change, values = samples.Values)
        fixed (ushort* indices = samples.Indices)
        {
            float* bias = w + biasRow * k;
            for (int m = 0; m < k; m++)
                bias[m] += delta[m];
            for (int p = start; p < end; p++)
            {
                float v = values[p];
                float* row = w + indices[p] * k;
                for (int m = 0; m < k; m++)
                    row[m] += delta[m] * v;
            }
        }
    }

    /// <summary>
    /// min over α of ½·A·Σₘ αₘ² + Σₘ Bₘ αₘ subject to αₘ ≤ Cₘ and Σₘ αₘ = 0 (Keerthi et al. 2008, section 3.1): the
    /// solution is αₘ = min(Cₘ, (β − Bₘ)/A) for the β found by scanning D = B + A·C in decreasing order.
    /// </summary>
    internal static void SolveSubProblem(double a, int y, double c, ReadOnlySpan<double> b, Span<double> alpha, Span<double> sorted)
    {
        int k = b.Length;
        b.CopyTo(sorted);
        sorted[y] += a * c;
        sorted.Sort((u, v) => v.CompareTo(u));
        double beta = sorted[0] - a * c;
        int r = 1;
        for (; r < k && beta < r * sorted[r]; r++)
            beta += sorted[r];
        beta /= r;
        for (int m = 0; m < k; m++)
            alpha[m] = Math.Min(m == y ? c : 0, (beta - b[m]) / a);
    }
}
