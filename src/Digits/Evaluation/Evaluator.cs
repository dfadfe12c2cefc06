using System.Diagnostics;

namespace Digits.Evaluation;

/// <summary>Runs a model over a labelled image set in batches and scores it.</summary>
public static class Evaluator
{
    /// <summary>Bytes in one 28×28 image.</summary>
    private const int ImageBytes = DigitImage.Pixels;

    /// <summary>
    /// Predicts <paramref name="count"/> images in batches of <paramref name="batchSize"/>, reusing one probabilities
    /// buffer, and scores the predictions. Batching bounds memory (one batch of probabilities at a time) and lets
    /// models vectorize across samples. <see cref="EvaluationResult.Seconds"/> times the model's predict calls only.
    /// </summary>
    /// <param name="images"><paramref name="count"/> × 784 bytes, 28×28 images laid end to end (more is ignored).</param>
    /// <param name="labels">The true class position of each image (more than <paramref name="count"/> is ignored).</param>
    /// <param name="progress">Told the number of images predicted so far after each batch.</param>
    /// <param name="cancellationToken">Checked before every batch, so a cancelled evaluation stops within one batch's
    /// predict call and throws <see cref="OperationCanceledException"/>. Lower <paramref name="batchSize"/> for a model
    /// whose batch takes long (an SVM with many support vectors, a large ensemble).</param>
    public static EvaluationResult Evaluate(
        IClassifier model, ReadOnlySpan<byte> images, ReadOnlySpan<byte> labels, int count,
        int batchSize = 1000, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if ((long)count * ImageBytes > images.Length)
            throw new ArgumentException($"has {images.Length} bytes, fewer than {count} images × {ImageBytes}", nameof(images));
        if (count > labels.Length)
            throw new ArgumentException($"has {labels.Length} labels, fewer than the {count} images", nameof(labels));

        int classCount = model.Labels.Count;
        var accumulator = new EvaluationAccumulator(model.Labels, count);
        var probabilities = new float[Math.Min(batchSize, Math.Max(count, 1)) * classCount];
        long elapsedTicks = 0;
        for (int start = 0; start < count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(batchSize, count - start);
            var batchProbabilities = probabilities.AsSpan(0, n * classCount);
            long before = Stopwatch.GetTimestamp();
            model.Predict(images.Slice(start * ImageBytes, n * ImageBytes), n, batchProbabilities);
            elapsedTicks += Stopwatch.GetTimestamp() - before;
            accumulator.Add(labels.Slice(start, n), batchProbabilities);
            progress?.Report(start + n);
        }
        return accumulator.ToResult((double)elapsedTicks / Stopwatch.Frequency);
    }
}
