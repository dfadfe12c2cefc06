namespace Digits.Classical;

/// <summary>
/// Multi-class probabilities from pairwise ones: given r_ij ≈ P(y = i | y ∈ {i, j}), finds p minimizing
/// Σ_i Σ_{j≠i} (r_ji·p_i − r_ij·p_j)² subject to Σ p = 1, p ≥ 0 — method 2 of T.-F. Wu, C.-J. Lin and R. C. Weng,
/// "Probability Estimates for Multi-class Classification by Pairwise Coupling", JMLR 5:975–1005, 2004, solved by
/// their fixed-point iteration (as in libsvm's multiclass_probability).
/// </summary>
public sealed class PairwiseCoupling
{
    private readonly int k;
    private readonly double[] q;
    private readonly double[] qp;

    /// <param name="classCount">k ≥ 2.</param>
    public PairwiseCoupling(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        k = classCount;
        q = new double[classCount * classCount];
        qp = new double[classCount];
    }

    /// <summary>
    /// Fills <paramref name="probabilities"/> (k values summing to 1) from <paramref name="pairwise"/> (k × k, row-major,
    /// r_ij at [i·k + j] with r_ij + r_ji = 1; the diagonal is ignored). Allocates nothing.
    /// </summary>
    public void Couple(ReadOnlySpan<double> pairwise, Span<double> probabilities)
    {
        int k = this.k;
        double[] q = this.q, qp = this.qp;
        for (int t = 0; t < k; t++)
        {
            probabilities[t] = 1.0 / k;
            double diagonal = 0;
            for (int j = 0; j < k; j++)
            {
                if (j == t)
                    continue;
                double rjt = pairwise[j * k + t];
                diagonal += rjt * rjt;
                q[t * k + j] = -rjt * pairwise[t * k + j];
            }
            q[t * k + t] = diagonal;
        }
        int maxIterations = Math.Max(100, k);
        double tolerance = 0.005 / k;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double pqp = 0;
            for (int t = 0; t < k; t++)
            {
                double sum = 0;
                for (int j = 0; j < k; j++)
                    sum += q[t * k + j] * probabilities[j];
                qp[t] = sum;
                pqp += probabilities[t] * sum;
            }
            double maxError = 0;
            for (int t = 0; t < k; t++)
                maxError = Math.Max(maxError, Math.Abs(qp[t] - pqp));
            if (maxError < tolerance)
                break;
            for (int t = 0; t < k; t++)
            {
                double diff = (-qp[t] + pqp) / q[t * k + t];
                probabilities[t] += diff;
                pqp = (pqp + diff * (diff * q[t * k + t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
                for (int j = 0; j < k; j++)
                {
                    qp[j] = (qp[j] + diff * q[t * k + j]) / (1 + diff);
                    probabilities[j] /= 1 + diff;
                }
            }
        }
    }
}
