namespace Digits.Classical;

/// <summary>
/// Out-of-fold decision values of a two-class SVM, the data libsvm fits Platt's sigmoid to (Chang and Lin, ACM TIST
/// 2011, section 8): each point's value comes from a model that did not see it, so the sigmoid learns how reliable
/// decision values are on new data rather than on training points, which mostly sit at |f| ≥ 1.
/// </summary>
internal static class CrossValidatedDecisions
{
    /// <param name="features">The pair's n points (n × dimension, row-major).</param>
    /// <param name="folds">k ≥ 2; points are dealt into folds in the order of a shuffle drawn from <paramref name="rng"/>.</param>
    /// <param name="cacheBytes">Kernel-cache bound for each fold's solver.</param>
    /// <param name="cancellationToken">Passed to each fold's solver.</param>
    public static double[] Compute(SvmKernel kernel, float[] features, int dimension, sbyte[] labels, int folds, Rng rng,
        KernelSvmOptions options, long cacheBytes, bool parallelGemm, CancellationToken cancellationToken = default)
    {
        int n = labels.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        rng.Shuffle(order.AsSpan());
        var decisions = new double[n];
        for (int fold = 0; fold < folds; fold++)
        {
            int begin = (int)((long)fold * n / folds), end = (int)((long)(fold + 1) * n / folds);
            int[] train = [.. order.AsSpan(0, begin), .. order.AsSpan(end)];
            int[] held = order[begin..end];
            var trainLabels = new sbyte[train.Length];
            int positives = 0;
            for (int i = 0; i < train.Length; i++)
            {
                trainLabels[i] = labels[train[i]];
                if (trainLabels[i] > 0)
                    positives++;
            }
            if (positives == 0 || positives == train.Length)
            {
                // One class only: every held-out point gets that class's unit decision value, as libsvm does.
                foreach (int h in held)
                    decisions[h] = positives == 0 ? -1 : 1;
                continue;
            }
            float[] trainFeatures = Gather(features, dimension, train);
            var q = new SignedKernelMatrix(kernel, trainFeatures, dimension, trainLabels, cacheBytes, parallelGemm);
            var solution = new SmoSolver(q, trainLabels, options.C, options.Tolerance, options.Shrinking, options.BlockRows).Solve(cancellationToken);
            Predict(kernel, features, dimension, held, trainFeatures, trainLabels, solution, decisions, parallelGemm);
        }
        return decisions;
    }

    /// <summary>decisions[h] = Σ α_i y_i k(x_i, x_h) − ρ over the fold model's support vectors, for every held-out h.</summary>
    private static void Predict(SvmKernel kernel, float[] features, int dimension, int[] held, float[] trainFeatures,
        sbyte[] trainLabels, SmoSolution solution, double[] decisions, bool parallelGemm)
    {
        var support = new List<int>();
        for (int i = 0; i < trainLabels.Length; i++)
        {
            if (solution.Alpha[i] > 0)
                support.Add(i);
        }
        if (support.Count == 0 || held.Length == 0)
        {
            foreach (int h in held)
                decisions[h] = -solution.Rho;
            return;
        }
        int[] supportIndices = support.ToArray();
        float[] supportFeatures = Gather(trainFeatures, dimension, supportIndices);
        float[] heldFeatures = Gather(features, dimension, held);
        var supportNorms = new float[supportIndices.Length];
        var heldNorms = new float[held.Length];
        SvmKernel.SquaredNorms(supportFeatures, supportIndices.Length, dimension, supportNorms);
        SvmKernel.SquaredNorms(heldFeatures, held.Length, dimension, heldNorms);
        var values = new float[held.Length * supportIndices.Length];
        kernel.Block(heldFeatures, heldNorms, held.Length, supportFeatures, supportNorms, supportIndices.Length,
            dimension, values, parallelGemm);
        for (int h = 0; h < held.Length; h++)
        {
            double sum = 0;
            for (int s = 0; s < supportIndices.Length; s++)
            {
                int i = supportIndices[s];
                sum += solution.Alpha[i] * trainLabels[i] * values[h * supportIndices.Length + s];
            }
            decisions[held[h]] = sum - solution.Rho;
        }
    }

    private static float[] Gather(float[] features, int dimension, int[] rows)
    {
        var gathered = new float[rows.Length * dimension];
        for (int r = 0; r < rows.Length; r++)
            features.AsSpan(rows[r] * dimension, dimension).CopyTo(gathered.AsSpan(r * dimension, dimension));
        return gathered;
    }
}
