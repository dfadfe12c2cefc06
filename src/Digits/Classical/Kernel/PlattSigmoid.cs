namespace Digits.Classical;

/// <summary>
/// Platt's sigmoid P(y = +1 | f) = 1 / (1 + exp(A·f + B)) mapping a two-class SVM decision value f to a probability
/// (J. Platt, "Probabilistic Outputs for Support Vector Machines", 2000), fitted by the Newton method with
/// backtracking of H.-T. Lin, C.-J. Lin and R. C. Weng, "A Note on Platt's Probabilistic Outputs for Support Vector
/// Machines", Machine Learning 68, 2007 (their Algorithm 1, as in libsvm's sigmoid_train). Targets are Platt's
/// smoothed labels (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2), which keep A finite even for separable data.
/// </summary>
/// <param name="A">Slope; negative when larger f means class +1.</param>
/// <param name="B">Offset.</param>
public readonly record struct PlattSigmoid(double A, double B)
{
    /// <summary>P(y = +1 | f), computed without overflow for either sign of A·f + B.</summary>
    public double Probability(double decision)
    {
        double z = A * decision + B;
        return z >= 0 ? Math.Exp(-z) / (1.0 + Math.Exp(-z)) : 1.0 / (1.0 + Math.Exp(z));
    }

    /// <summary>Fits A and B to decision values and their ±1 labels by minimizing the cross-entropy.</summary>
    public static PlattSigmoid Fit(ReadOnlySpan<double> decisions, ReadOnlySpan<sbyte> labels)
    {
        if (decisions.Length != labels.Length)
            throw new ArgumentException($"{decisions.Length} decision values for {labels.Length} labels", nameof(labels));
        const int maxIterations = 100;
        const double minStep = 1e-10, ridge = 1e-12, gradientTolerance = 1e-5;
        double positives = 0, negatives = 0;
        foreach (sbyte y in labels)
        {
            if (y > 0)
                positives++;
            else
                negatives++;
        }
        double high = (positives + 1.0) / (positives + 2.0), low = 1.0 / (negatives + 2.0);
        double a = 0.0, b = Math.Log((negatives + 1.0) / (positives + 1.0));
        double value = CrossEntropy(decisions, labels, a, b, high, low);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double h11 = ridge, h22 = ridge, h21 = 0, g1 = 0, g2 = 0;
            for (int i = 0; i < decisions.Length; i++)
            {
                double f = decisions[i];
                double z = f * a + b;
                double p, q;
                if (z >= 0)
                {
                    double e = Math.Exp(-z);
                    p = e / (1.0 + e);
                    q = 1.0 / (1.0 + e);
                }
                else
                {
                    double e = Math.Exp(z);
                    p = 1.0 / (1.0 + e);
                    q = e / (1.0 + e);
                }
                double d2 = p * q;
                h11 += f * f * d2;
                h22 += d2;
                h21 += f * d2;
                double d1 = (labels[i] > 0 ? high : low) - p;
                g1 += f * d1;
                g2 += d1;
            }
            if (Math.Abs(g1) < gradientTolerance && Math.Abs(g2) < gradientTolerance)
                break;
            double det = h11 * h22 - h21 * h21;
            double da = -(h22 * g1 - h21 * g2) / det;
            double db = -(-h21 * g1 + h11 * g2) / det;
            double descent = g1 * da + g2 * db;
            double step = 1;
            while (step >= minStep)
            {
                double newA = a + step * da, newB = b + step * db;
                double newValue = CrossEntropy(decisions, labels, newA, newB, high, low);
                if (newValue < value + 1e-4 * step * descent)
                {
                    (a, b, value) = (newA, newB, newValue);
                    break;
                }
                step /= 2;
            }
            if (step < minStep)
                break;
        }
        return new PlattSigmoid(a, b);
    }

    private static double CrossEntropy(ReadOnlySpan<double> decisions, ReadOnlySpan<sbyte> labels, double a, double b,
        double high, double low)
    {
        double sum = 0;
        for (int i = 0; i < decisions.Length; i++)
        {
            double t = labels[i] > 0 ? high : low;
            double z = decisions[i] * a + b;
            sum += z >= 0 ? t * z + Math.Log(1 + Math.Exp(-z)) : (t - 1) * z + Math.Log(1 + Math.Exp(z));
        }
        return sum;
    }
}
