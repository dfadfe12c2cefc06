using Digits.Evaluation;

namespace Digits.Tests.Evaluation;

public class EvaluatorTests
{
    private const int ImageBytes = 784;

    /// <summary>Predicts, with certainty, the class named by each image's first pixel (modulo the class count).</summary>
    private sealed class FirstPixelClassifier(int classCount) : IClassifier
    {
        public List<int> BatchSizes { get; } = [];
        public string Name => "first-pixel";
        public IReadOnlyList<string> Labels { get; } = Enumerable.Range(0, classCount).Select(c => c.ToString()).ToArray();

        public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
        {
            Assert.Equal(count * ImageBytes, images.Length);
            Assert.Equal(count * Labels.Count, probabilities.Length);
            BatchSizes.Add(count);
            probabilities.Clear();
            for (int i = 0; i < count; i++)
                probabilities[i * Labels.Count + images[i * ImageBytes] % Labels.Count] = 1;
        }
    }

    private sealed class RecordingProgress : IProgress<int>
    {
        public List<int> Reports { get; } = [];
        public void Report(int value) => Reports.Add(value);
    }

    private static byte[] Images(params byte[] firstPixels)
    {
        var images = new byte[firstPixels.Length * ImageBytes];
        for (int i = 0; i < firstPixels.Length; i++)
            images[i * ImageBytes] = firstPixels[i];
        return images;
    }

    [Fact]
    public void Predicts_in_batches_with_a_short_last_batch_and_scores_every_sample()
    {
        var model = new FirstPixelClassifier(3);
        byte[] firstPixels = [0, 1, 2, 0, 1, 2, 1];
        byte[] labels = [0, 1, 2, 0, 1, 2, 2]; // the last one is wrong
        var progress = new RecordingProgress();

        var result = Evaluator.Evaluate(model, Images(firstPixels), labels, firstPixels.Length, batchSize: 3, progress);

        Assert.Equal([3, 3, 1], model.BatchSizes);
        Assert.Equal([3, 6, 7], progress.Reports);
        Assert.Equal(7, result.Count);
        Assert.Equal(6.0 / 7, result.Accuracy, 12);
        Assert.Equal([0, 1, 2, 0, 1, 2, 1], result.Predicted);
        Assert.Equal(1, result.Matrix[2, 1]);
        Assert.Equal([6], result.Misclassified());
        Assert.True(result.Seconds >= 0);
    }

    [Fact]
    public void Ece_is_measured_on_the_top_class_confidence()
    {
        // Certain of every answer and wrong on one of seven: all in the top bin, accuracy 6/7 at confidence 1.
        byte[] firstPixels = [0, 1, 2, 0, 1, 2, 1];
        byte[] labels = [0, 1, 2, 0, 1, 2, 2];

        var result = Evaluator.Evaluate(new FirstPixelClassifier(3), Images(firstPixels), labels, firstPixels.Length);

        Assert.Equal(1.0 / 7, result.Ece, 12);
        Assert.Equal(7, result.Reliability[^1].Count);
        Assert.Equal(CalibrationError.BinCount, result.Reliability.Count);
    }

    [Fact]
    public void A_cancel_during_a_batch_stops_the_evaluation_before_the_next_batch()
    {
        using var cancel = new CancellationTokenSource();
        var model = new FirstPixelClassifier(3);
        var progress = new RecordingProgress();
        byte[] firstPixels = [0, 1, 2, 0, 1, 2, 1];

        Assert.Throws<OperationCanceledException>(() => Evaluator.Evaluate(model, Images(firstPixels), firstPixels, firstPixels.Length,
            batchSize: 2, new CancelAfter(cancel, reports: 2, progress), cancel.Token));

        Assert.Equal([2, 2], model.BatchSizes);
        Assert.Equal([2, 4], progress.Reports);
    }

    /// <summary>Records progress and cancels once it has seen <paramref name="reports"/> reports.</summary>
    private sealed class CancelAfter(CancellationTokenSource cancel, int reports, RecordingProgress inner) : IProgress<int>
    {
        public void Report(int value)
        {
            inner.Report(value);
            if (inner.Reports.Count == reports)
                cancel.Cancel();
        }
    }

    [Fact]
    public void Evaluates_only_the_first_count_images()
    {
        var model = new FirstPixelClassifier(2);

        var result = Evaluator.Evaluate(model, Images(1, 1, 0), [1, 1, 1], count: 2, batchSize: 1000);

        Assert.Equal([2], model.BatchSizes);
        Assert.Equal(1.0, result.Accuracy);
    }

    [Fact]
    public void Zero_images_give_an_empty_result_without_calling_the_model()
    {
        var model = new FirstPixelClassifier(2);

        var result = Evaluator.Evaluate(model, [], [], count: 0);

        Assert.Empty(model.BatchSizes);
        Assert.Equal(0, result.Count);
        Assert.Equal([0.0, 1.0], result.AccuracyCi95);
    }

    [Fact]
    public void Too_few_image_bytes_is_an_argument_error() =>
        Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(new FirstPixelClassifier(2), new byte[ImageBytes], [0, 0], count: 2));
}
