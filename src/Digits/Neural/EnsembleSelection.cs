namespace Digits.Neural;

/// <summary>
/// Chooses which trained models go into an ensemble, on validation data only: greedy forward selection without
/// replacement (Caruana, Niculescu-Mizil, Crew &amp; Ksikes, "Ensemble Selection from Libraries of Models", ICML
/// 2004). It starts from the member with the lowest validation log loss and keeps adding the member that lowers
/// the log loss of the averaged probabilities most, until no member lowers it. Log loss rather than accuracy,
/// because on a few thousand validation images accuracy moves in steps of one image and ties everywhere.
/// </summary>
public static class EnsembleSelection
{
    /// <summary>Probabilities are clamped to at least this before the logarithm, so a confident miss stays finite.</summary>
    private const double Floor = 1e-7;

    /// <summary>
    /// The chosen members' indices, ascending.
    /// </summary>
    /// <param name="probabilities">Per member, its validation probabilities: images × classes, row-major.</param>
    /// <param name="labels">The validation labels, one per image.</param>
    /// <param name="classes">Classes per image.</param>
    public static int[] Select(IReadOnlyList<float[]> probabilities, ReadOnlySpan<byte> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (probabilities.Count == 0)
        {
            throw new ArgumentException("there are no members to choose from", nameof(probabilities));
        }
        int length = labels.Length * classes;
        foreach (float[] p in probabilities)
        {
            if (p.Length != length)
            {
                throw new ArgumentException($"every member needs {labels.Length} × {classes} probabilities, one has {p.Length}", nameof(probabilities));
            }
        }

        // sum[i] is the running total of the chosen members' probabilities for image i's true class only:
        // the log loss of the mean needs nothing else.
        var sum = new double[labels.Length];
        var chosen = new List<int>();
        var used = new bool[probabilities.Count];
        double bestLoss = double.PositiveInfinity;
        while (chosen.Count < probabilities.Count)
        {
            int pick = -1;
            double pickLoss = bestLoss;
            for (int m = 0; m < probabilities.Count; m++)
            {
                if (used[m])
                {
                    continue;
                }
                double loss = LogLoss(sum, probabilities[m], labels, classes, chosen.Count + 1);
                if (loss < pickLoss)
                {
                    pick = m;
                    pickLoss = loss;
                }
            }
            if (pick < 0)
            {
                break;
            }
            used[pick] = true;
            chosen.Add(pick);
            bestLoss = pickLoss;
            float[] added = probabilities[pick];
            for (int i = 0; i < labels.Length; i++)
            {
                sum[i] += added[i * classes + labels[i]];
            }
        }
        chosen.Sort();
        return [.. chosen];
    }

    /// <summary>Mean log loss when <paramref name="candidate"/> joins the members summed in <paramref name="sum"/>.</summary>
    private static double LogLoss(double[] sum, float[] candidate, ReadOnlySpan<byte> labels, int classes, int members)
    {
        double total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double p = (sum[i] + candidate[i * classes + labels[i]]) / members;
            total -= Math.Log(Math.Max(p, Floor));
        }
        return labels.Length == 0 ? 0 : total / labels.Length;
    }
}
