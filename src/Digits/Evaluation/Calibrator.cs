using Digits.Data;
using Digits.Persistence;

namespace Digits.Evaluation;

/// <summary>
/// Fits a model's temperature on held-out images (see <see cref="TemperatureScaling"/>) and measures its expected
/// calibration error before and after (see <see cref="CalibrationError"/>).
/// </summary>
public static class Calibrator
{
    /// <summary>Images per predict call: bounds the memory of one batch, as <see cref="Evaluator"/> does.</summary>
    private const int Batch = 1000;

    /// <summary>
    /// The model with the temperature that minimizes its negative log-likelihood on <paramref name="validation"/>, and
    /// the <c>calibration</c> to store in its file. A model that is already calibrated is fitted afresh from its
    /// uncalibrated probabilities.
    /// </summary>
    /// <param name="validation">Images the model was not fitted on (a validation split), labelled in the model's label order.</param>
    /// <param name="cancellationToken">Checked before every batch of predictions.</param>
    /// <exception cref="ArgumentException">No validation images.</exception>
    public static (CalibratedModel Model, Calibration Calibration) Calibrate(
        IPersistableModel model, LabeledImages validation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(validation);
        if (validation.Count == 0)
            throw new ArgumentException("has no images to fit a temperature on", nameof(validation));
        IPersistableModel bare = CalibratedModel.Uncalibrated(model);
        int classes = bare.Labels.Count;
        float[] probabilities = PredictAll(bare, validation.Pixels, validation.Count, cancellationToken);
        double eceBefore = CalibrationError.Expected(validation.Labels, probabilities, classes);
        double temperature = TemperatureScaling.FitProbabilities(probabilities, validation.Labels, classes);
        TemperatureScaling.Apply(probabilities, probabilities, validation.Count, classes, temperature);
        double eceAfter = CalibrationError.Expected(validation.Labels, probabilities, classes);
        return (new CalibratedModel(bare, temperature), new Calibration(temperature, eceBefore, eceAfter));
    }

    /// <summary>
    /// Scores <paramref name="model"/> on a labelled set with its temperature and without, from one pass of
    /// predictions: the before-and-after of calibration on data it was not fitted on. Both results carry the
    /// prediction time of that one pass.
    /// </summary>
    /// <param name="images"><paramref name="count"/> × 784 bytes.</param>
    /// <param name="cancellationToken">Checked before every batch of predictions.</param>
    public static (EvaluationResult Calibrated, EvaluationResult Uncalibrated) Evaluate(
        CalibratedModel model, ReadOnlySpan<byte> images, ReadOnlySpan<byte> labels, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        float[] probabilities = PredictAll(model.Model, images, count, cancellationToken);
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var uncalibrated = Metrics.Evaluate(labels[..count], probabilities, model.Labels, seconds);
        TemperatureScaling.Apply(probabilities, probabilities, count, model.Labels.Count, model.Temperature);
        return (Metrics.Evaluate(labels[..count], probabilities, model.Labels, seconds), uncalibrated);
    }

    /// <summary>Probabilities for <paramref name="count"/> 28×28 images, (count, classes), predicted in batches.</summary>
    private static float[] PredictAll(IClassifier model, ReadOnlySpan<byte> images, int count, CancellationToken cancellationToken)
    {
        const int pixels = DigitImage.Pixels;
        int classes = model.Labels.Count;
        if ((long)count * pixels > images.Length)
            throw new ArgumentException($"has {images.Length} bytes, fewer than {count} images × {pixels}", nameof(images));
        var probabilities = new float[count * classes];
        for (int start = 0; start < count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Batch, count - start);
            model.Predict(images.Slice(start * pixels, n * pixels), n, probabilities.AsSpan(start * classes, n * classes));
        }
        return probabilities;
    }
}
