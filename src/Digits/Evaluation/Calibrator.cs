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
        int classes = bare.Labels.Count, pixels = validation.Rows * validation.Cols;
        var probabilities = new float[validation.Count * classes];
        for (int start = 0; start < validation.Count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Batch, validation.Count - start);
            bare.Predict(validation.Pixels.AsSpan(start * pixels, n * pixels), n, probabilities.AsSpan(start * classes, n * classes));
        }
        double eceBefore = CalibrationError.Expected(validation.Labels, probabilities, classes);
        double temperature = TemperatureScaling.FitProbabilities(probabilities, validation.Labels, classes);
        TemperatureScaling.Apply(probabilities, probabilities, validation.Count, classes, temperature);
        double eceAfter = CalibrationError.Expected(validation.Labels, probabilities, classes);
        return (new CalibratedModel(bare, temperature), new Calibration(temperature, eceBefore, eceAfter));
    }
}
