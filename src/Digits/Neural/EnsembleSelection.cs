namespace Digits.Neural;

/// <summary>
/// Chooses which trained models go into an ensemble, on validation data only: greedy forward selection without
/// replacement (Caruana, Niculescu-Mizil, Crew &amp; Ksikes, "Ensemble Selection from Libraries of Models", ICML
/// 2004). Starting from the best single member, it adds at each step the member that gives the averaged
/// probabilities the highest validation accuracy, until every member is in; the ensemble kept is the best prefix of
/// that path. Ties in accuracy, common on a few thousand images, go to the lower validation log loss. Accuracy
/// leads because log loss alone misleads for models trained with label smoothing: their probabilities for the right
/// class sit near 0.9 by design, and the most confident member wins on log loss whatever its errors (on the `cnn`
/// ensemble, log loss alone kept a single member with 99.57% validation accuracy, below two others' 99.67%).
/// </summary>
public static class EnsembleSelection
{
    /// <summary>Probabilities are clamped to at least this before the logarithm, so a confident miss stays finite.</summary>
    private const double Floor = 1e-7;

    /// <summary>The chosen members' indices, ascending.</summary>
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

        var sum = new double[length];
        var trial = new double[length];
        var path = new List<int>();
        var used = new bool[probabilities.Count];
        (int Correct, double Loss) best = (-1, double.PositiveInfinity);
        int bestSize = 0;
        while (path.Count < probabilities.Count)
        {
            int pick = -1;
            (int Correct, double Loss) pickScore = (-1, double.PositiveInfinity);
            for (int m = 0; m < probabilities.Count; m++)
            {
                if (used[m])
                {
                    continue;
                }
                float[] candidate = probabilities[m];
                for (int i = 0; i < length; i++)
                {
                    trial[i] = sum[i] + candidate[i];
                }
                var score = Score(trial, labels, classes);
                if (Better(score, pickScore))
                {
                    pick = m;
                    pickScore = score;
                }
            }
            used[pick] = true;
            path.Add(pick);
            float[] added = probabilities[pick];
            for (int i = 0; i < length; i++)
            {
                sum[i] += added[i];
            }
            if (Better(pickScore, best))
            {
                best = pickScore;
                bestSize = path.Count;
            }
        }
        int[] chosen = [.. path.Take(bestSize)];
        Array.Sort(chosen);
        return chosen;
    }

    private static bool Better((int Correct, double Loss) a, (int Correct, double Loss) b) =>
        a.Correct > b.Correct || (a.Correct == b.Correct && a.Loss < b.Loss);

    /// <summary>Images whose largest summed probability is their label's (first on ties), and the mean log loss of the average.</summary>
    private static (int Correct, double Loss) Score(double[] sum, ReadOnlySpan<byte> labels, int classes)
    {
        int correct = 0;
        double loss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int row = i * classes, argmax = 0;
            double total = 0;
            for (int c = 0; c < classes; c++)
            {
                total += sum[row + c];
                if (sum[row + c] > sum[row + argmax])
                {
                    argmax = c;
                }
            }
            correct += argmax == labels[i] ? 1 : 0;
            loss -= Math.Log(Math.Max(total > 0 ? sum[row + labels[i]] / total : 0, Floor));
        }
        return (correct, labels.Length == 0 ? 0 : loss / labels.Length);
    }
}
