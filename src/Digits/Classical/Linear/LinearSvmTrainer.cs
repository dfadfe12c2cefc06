using System.Globalization;
using Digits.Data;
using Digits.Persistence;

namespace Digits.Classical;

/// <summary>
/// Fits a <see cref="LinearSvm"/>. One-vs-rest: one binary SVM per class against the rest, each by
/// <see cref="DualCoordinateDescent"/>; the binary problems are independent and run in parallel, each drawing its
/// sample order from its own stream of the seed, so the model does not depend on the thread count. Crammer–Singer:
/// one joint problem by <see cref="CrammerSingerSolver"/> on one thread.
/// </summary>
public sealed class LinearSvmTrainer : Training.ITrainer
{
    private readonly LinearSvmOptions options;

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public LinearSvmTrainer(LinearSvmOptions? options = null)
    {
        this.options = options ?? new LinearSvmOptions();
        this.options.Validate();
    }

    public LinearSvmOptions Options => options;

    string Training.ITrainer.Name => Persistence.ModelKind.LinearSvm;

    string Training.ITrainer.Kind => Persistence.ModelKind.LinearSvm;

    string? Training.ITrainer.Recipe => null;

    /// <summary>Fits on the training part of <paramref name="data"/> and scores its validation part (see <see cref="Training.TrainingSet.FitWhole"/>).</summary>
    Training.TrainerResult Training.ITrainer.Fit(Training.TrainingSet data, IProgress<Neural.Training.TrainingProgress>? progress, CancellationToken cancellationToken) =>
        data.FitWhole((train, token) => Fit(train, token), cancellationToken);

    /// <summary>Fits on every image of <paramref name="train"/>.</summary>
    /// <param name="cancellationToken">Checked before every pass of the solver over the images; a cancelled fit
    /// throws <see cref="OperationCanceledException"/>.</param>
    public LinearSvm Fit(LabeledImages train, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
            throw new ArgumentException("has no images to train on", nameof(train));
        if (train.PixelsPerImage != PixelFeatures.Count)
            throw new ArgumentException($"images are {train.Rows}×{train.Cols}, the linear SVM takes 28×28", nameof(train));
        const int d = PixelFeatures.Count;
        int n = train.Count, classes = train.ClassCount;
        var pixels = PixelFeatures.Pixels(train.Pixels, n, options.Deskew);
        var samples = new SparsePixels(pixels.Span, n);
        float[] weights = new float[classes * d], bias = new float[classes];
        if (options.Multiclass == LinearSvmMulticlass.CrammerSinger)
            FitCrammerSinger(samples, train.Labels, classes, weights, bias, cancellationToken);
        else
            FitOneVsRest(samples, train.Labels, classes, weights, bias, cancellationToken);
        var labels = classes == ModelMetadata.DigitLabels.Count ? ModelMetadata.DigitLabels
            : Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        LinearSvmLoss? loss = options.Multiclass == LinearSvmMulticlass.OneVsRest ? options.Loss : null;
        return new LinearSvm(weights, bias, options.Deskew, options.Multiclass, loss, labels);
    }

    private void FitOneVsRest(SparsePixels samples, byte[] labels, int classes, float[] weights, float[] bias,
        CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Threads ?? Tensors.WorkerPool.Threads,
            CancellationToken = cancellationToken,
        };
        try
        {
            Parallel.For(0, classes, parallel, c => FitOneClass(samples, labels, c, weights, bias, cancellationToken));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OperationCanceledException))
        {
            // Classes in flight when the token fired stop at their next pass; report that as one cancellation.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>Class <paramref name="c"/> against the rest: its row of the weights and its bias.</summary>
    private void FitOneClass(SparsePixels samples, byte[] labels, int c, float[] weights, float[] bias,
        CancellationToken cancellationToken)
    {
        const int d = PixelFeatures.Count;
        int n = samples.Count;
        var positive = new bool[n];
        for (int i = 0; i < n; i++)
            positive[i] = labels[i] == c;
        var w = new float[d + 1];
        DualCoordinateDescent.Solve(samples, positive, options.C, options.Loss, options.Tolerance,
            options.MaxPasses, options.Shrinking, Rng.Derive(options.Seed, (ulong)c), w, new double[n], cancellationToken);
        w.AsSpan(0, d).CopyTo(weights.AsSpan(c * d, d));
        bias[c] = w[d];
    }

    private void FitCrammerSinger(SparsePixels samples, byte[] labels, int classes, float[] weights, float[] bias,
        CancellationToken cancellationToken)
    {
        const int d = PixelFeatures.Count;
        var w = new float[classes * (d + 1)];
        CrammerSingerSolver.Solve(samples, labels, classes, options.C, options.Tolerance, options.MaxPasses,
            new Rng(options.Seed), w, cancellationToken);
        for (int c = 0; c < classes; c++)
        {
            w.AsSpan(c * (d + 1), d).CopyTo(weights.AsSpan(c * d, d));
            bias[c] = w[c * (d + 1) + d];
        }
    }
}
