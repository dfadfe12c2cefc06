using Digits.Data;
using Digits.Persistence;

namespace Digits.Classical;

/// <summary>
/// Fits a <see cref="KernelSvm"/>: one <see cref="SmoSolver"/> per pair of classes on that pair's images, the pairs
/// spread over <see cref="KernelSvmOptions.Threads"/> threads (largest first, so no thread is left with a big pair at
/// the end), each with its own slice of the kernel-cache budget. Every pair's result depends only on its data, so the
/// model is the same for any thread count.
/// </summary>
/// <remarks>
/// <para>
/// Why each pair has its own cache rather than sharing rows of the full n × n kernel matrix: a full row costs n
/// entries and serves the 9 pairs of its point's class, while a pair row costs only that pair's ~n/5 entries. Sharing
/// pays only when a point's row is needed in more than 5 of its 9 pairs. On MNIST with C = 5, γ = 0.05 we measured
/// 6.7 pair rows per point on 10k images (sharing would save at most a quarter) and 4.4 on 60k (sharing would cost
/// more), so the pairs stay independent, which also keeps them free of locks.
/// </para>
/// <para>
/// With one thread the kernel GEMMs use <see cref="Tensors.WorkerPool"/>; from inside a work item they run on that
/// item's thread.
/// </para>
/// </remarks>
public sealed class KernelSvmTrainer : Training.ITrainer
{
    private readonly KernelSvmOptions options;

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public KernelSvmTrainer(KernelSvmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
    }

    string Training.ITrainer.Name => Persistence.ModelKind.Svm;

    string Training.ITrainer.Kind => Persistence.ModelKind.Svm;

    string? Training.ITrainer.Recipe => null;

    /// <summary>Fits on the training part of <paramref name="data"/> and scores its validation part (see <see cref="Training.TrainingSet.FitWhole"/>).</summary>
    Training.TrainerResult Training.ITrainer.Fit(Training.TrainingSet data, IProgress<Neural.Training.TrainingProgress>? progress, CancellationToken cancellationToken) =>
        data.FitWhole(Fit, cancellationToken);

    /// <summary>Statistics of the last <see cref="Fit"/>: SMO steps and kernel rows computed, summed over pairs.</summary>
    public KernelSvmTrainingStatistics? LastStatistics { get; private set; }

    /// <summary>
    /// Fits every one-vs-one pair. <paramref name="cancellationToken"/> is checked before each pair starts and
    /// inside every pair's solvers (see <see cref="SmoSolver.Solve"/>), so a cancelled fit stops within milliseconds
    /// and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="DigitsException">A class has no images, or the images are not 28×28.</exception>
    public KernelSvm Fit(LabeledImages data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.PixelsPerImage != SvmInputs.PixelsPerImage)
            throw new DigitsException("training data", $"images are {data.Rows}×{data.Cols}, expected 28×28");
        int k = data.ClassCount;
        if (k < 2)
            throw new DigitsException("training data", "needs at least two classes");
        var members = ClassMembers(data);
        for (int c = 0; c < k; c++)
        {
            if (members[c].Count == 0)
                throw new DigitsException("training data", $"class {c} has no images");
        }

        byte[] prepared = SvmInputs.Prepare(data.Pixels, data.Count, options.Deskew).ToArray();
        (KernelSvm model, int[] support) = FitPrepared(data, prepared, members, cancellationToken);
        if (!options.VirtualSupportVectors)
            return model;
        var virtualSet = VirtualSupportVectors.Create(prepared, data.Labels, support, data.Rows, data.Cols, k);
        return FitPrepared(virtualSet, virtualSet.Pixels, ClassMembers(virtualSet), cancellationToken).Model;
    }

    /// <summary>The indices of each class's images, in order.</summary>
    private static List<int>[] ClassMembers(LabeledImages data)
    {
        var members = new List<int>[data.ClassCount];
        for (int c = 0; c < members.Length; c++)
            members[c] = [];
        for (int i = 0; i < data.Count; i++)
            members[data.Labels[i]].Add(i);
        return members;
    }

    /// <summary>Fits every pair on images already deskewed (when asked); also returns the support vectors' indices in <paramref name="data"/>.</summary>
    private (KernelSvm Model, int[] Support) FitPrepared(LabeledImages data, byte[] prepared, List<int>[] members,
        CancellationToken cancellationToken)
    {
        int k = data.ClassCount;
        float[] features = SvmInputs.ToFeatures(prepared);
        var kernel = options.CreateKernel();
        int pairCount = k * (k - 1) / 2;
        var pairs = new (int First, int Second)[pairCount];
        for (int a = 0, p = 0; a < k; a++)
        {
            for (int b = a + 1; b < k; b++)
                pairs[p++] = (a, b);
        }
        int workers = Math.Min(options.Threads ?? Tensors.WorkerPool.Threads, pairCount);
        long cacheBytes = options.CacheBytes / workers;
        var results = new PairResult[pairCount];
        var order = new int[pairCount];
        for (int p = 0; p < pairCount; p++)
            order[p] = p;
        Array.Sort(order, (x, y) =>
        {
            int sizeX = members[pairs[x].First].Count + members[pairs[x].Second].Count;
            int sizeY = members[pairs[y].First].Count + members[pairs[y].Second].Count;
            return sizeX != sizeY ? sizeY.CompareTo(sizeX) : x.CompareTo(y);
        });

        int next = -1;
        Exception? failure = null;
        void Work()
        {
            try
            {
                int taken;
                while (!cancellationToken.IsCancellationRequested && (taken = Interlocked.Increment(ref next)) < pairCount
                    && Volatile.Read(ref failure) is null)
                {
                    int p = order[taken];
                    results[p] = SolvePair(p, kernel, features, members[pairs[p].First], members[pairs[p].Second],
                        cacheBytes, parallelGemm: workers == 1, cancellationToken);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }

        var threads = new Thread[workers - 1];
        for (int t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(Work) { IsBackground = true, Name = $"Digits SVM pair worker {t + 1}" };
            threads[t].Start();
        }
        Work();
        foreach (var thread in threads)
            thread.Join();
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        cancellationToken.ThrowIfCancellationRequested();

        return Assemble(kernel, data, prepared, members, pairs, results);
    }

    private sealed record PairResult(int[] Indices, SmoSolution Solution, PlattSigmoid Sigmoid, long RowsComputed);

    private PairResult SolvePair(int pair, SvmKernel kernel, float[] features, List<int> first, List<int> second,
        long cacheBytes, bool parallelGemm, CancellationToken cancellationToken)
    {
        int n = first.Count + second.Count;
        var indices = new int[n];
        var labels = new sbyte[n];
        first.CopyTo(indices);
        second.CopyTo(indices, first.Count);
        for (int i = 0; i < n; i++)
            labels[i] = i < first.Count ? (sbyte)1 : (sbyte)-1;
        int[] columns = NonzeroColumns(features, SvmInputs.PixelsPerImage, indices);
        int d = columns.Length;
        var pairFeatures = new float[n * d];
        for (int i = 0; i < n; i++)
        {
            var source = features.AsSpan(indices[i] * SvmInputs.PixelsPerImage, SvmInputs.PixelsPerImage);
            var destination = pairFeatures.AsSpan(i * d, d);
            for (int c = 0; c < d; c++)
                destination[c] = source[columns[c]];
        }
        var q = new SignedKernelMatrix(kernel, pairFeatures, d, labels, cacheBytes, parallelGemm);
        var solution = new SmoSolver(q, labels, options.C, options.Tolerance, options.Shrinking, options.BlockRows).Solve(cancellationToken);
        double[] calibration = options.ProbabilityFolds == 0
            ? solution.TrainingDecisions
            : CrossValidatedDecisions.Compute(kernel, pairFeatures, d, labels, options.ProbabilityFolds,
                Rng.Derive(options.Seed, (ulong)pair), options, cacheBytes, parallelGemm, cancellationToken);
        var sigmoid = PlattSigmoid.Fit(calibration, labels);
        return new PairResult(indices, solution, sigmoid, q.RowsComputed);
    }

    /// <summary>
    /// The feature columns that are nonzero in at least one of the given rows (column 0 if none is). A column that is
    /// zero in every point of a pair adds nothing to any dot product or norm the pair's solver needs, so dropping it
    /// changes no kernel value and shortens every GEMM; MNIST's border pixels are blank in most images.
    /// </summary>
    private static int[] NonzeroColumns(float[] features, int dimension, int[] rows)
    {
        var used = new bool[dimension];
        foreach (int row in rows)
        {
            var values = features.AsSpan(row * dimension, dimension);
            for (int c = 0; c < dimension; c++)
                used[c] |= values[c] != 0;
        }
        var columns = new List<int>(dimension);
        for (int c = 0; c < dimension; c++)
        {
            if (used[c])
                columns.Add(c);
        }
        return columns.Count > 0 ? columns.ToArray() : [0];
    }

    private (KernelSvm Model, int[] Support) Assemble(SvmKernel kernel, LabeledImages data, byte[] prepared, List<int>[] members,
        (int First, int Second)[] pairs, PairResult[] results)
    {
        int pairCount = pairs.Length, d = SvmInputs.PixelsPerImage;
        var unionIndex = new int[data.Count];
        Array.Fill(unionIndex, -1);
        foreach (var result in results)
        {
            for (int i = 0; i < result.Indices.Length; i++)
            {
                if (result.Solution.Alpha[i] > 0)
                    unionIndex[result.Indices[i]] = 0;
            }
        }
        int m = 0;
        for (int i = 0; i < data.Count; i++)
        {
            if (unionIndex[i] == 0)
                unionIndex[i] = m++;
        }
        var support = new int[m];
        for (int i = 0; i < data.Count; i++)
        {
            if (unionIndex[i] >= 0)
                support[unionIndex[i]] = i;
        }
        var supportVectors = new byte[m * d];
        for (int i = 0; i < data.Count; i++)
        {
            if (unionIndex[i] >= 0)
                prepared.AsSpan(i * d, d).CopyTo(supportVectors.AsSpan(unionIndex[i] * d, d));
        }
        var coefficients = new float[m * pairCount];
        var rho = new double[pairCount];
        var sigmoids = new PlattSigmoid[pairCount];
        var pairClasses = new int[2 * pairCount];
        long iterations = 0, rowsComputed = 0;
        for (int p = 0; p < pairCount; p++)
        {
            var result = results[p];
            int firstCount = members[pairs[p].First].Count;
            for (int i = 0; i < result.Indices.Length; i++)
            {
                double alpha = result.Solution.Alpha[i];
                if (alpha > 0)
                    coefficients[unionIndex[result.Indices[i]] * pairCount + p] = (float)(i < firstCount ? alpha : -alpha);
            }
            rho[p] = result.Solution.Rho;
            sigmoids[p] = result.Sigmoid;
            (pairClasses[2 * p], pairClasses[2 * p + 1]) = pairs[p];
            iterations += result.Solution.Iterations;
            rowsComputed += result.RowsComputed;
        }
        LastStatistics = new KernelSvmTrainingStatistics(iterations, rowsComputed, m);
        var labels = data.ClassCount == ModelMetadata.DigitLabels.Count
            ? ModelMetadata.DigitLabels
            : Enumerable.Range(0, data.ClassCount).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (new KernelSvm(kernel, options.Deskew, labels, supportVectors, coefficients, rho, sigmoids, pairClasses), support);
    }
}
