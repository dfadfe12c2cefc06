using Digits.Data;
using Digits.Evaluation;

namespace Digits.Training;

/// <summary>The images a trainer works on, and index lists into them for training and validation.</summary>
/// <param name="ValidationIndices">Held-out images for choosing epochs or members and reporting validation accuracy; null for none.</param>
public sealed record TrainingSet(LabeledImages Images, int[] TrainIndices, int[]? ValidationIndices)
{
    /// <summary>All of <paramref name="images"/> for training, none held out.</summary>
    public static TrainingSet All(LabeledImages images) => new(images, [.. Enumerable.Range(0, images.Count)], null);

    /// <summary>
    /// Fits a model that wants its training images as one set (the classical kinds): copies the training part, fits,
    /// and scores the validation part, if any.
    /// </summary>
    public TrainerResult FitWhole(Func<LabeledImages, CancellationToken, Persistence.IPersistableModel> fit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var model = fit(Images.Subset(TrainIndices), cancellationToken);
        double? validationAccuracy = null;
        if (ValidationIndices is { } v)
        {
            var validation = Images.Subset(v);
            validationAccuracy = Evaluator.Evaluate(model, validation.Pixels, validation.Labels, validation.Count, cancellationToken: cancellationToken).Accuracy;
        }
        return new TrainerResult(model, validationAccuracy, Epochs: null, Interrupted: false);
    }
}
