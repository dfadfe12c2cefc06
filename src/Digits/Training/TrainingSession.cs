using System.Diagnostics;
using System.Text.Json;
using Digits.Data;
using Digits.Evaluation;
using Digits.Persistence;

namespace Digits.Training;

/// <summary>What one training run is asked to do.</summary>
public sealed record TrainingPlan
{
    public required ITrainer Trainer { get; init; }

    /// <summary>The dataset: the model trains on (a subset of) its training split and is measured on its test split.</summary>
    public required LoadedDataset Data { get; init; }

    /// <summary>Where the model goes, checked before the data was read (<see cref="ModelOutput.Check"/>).</summary>
    public required ModelOutput Output { get; init; }

    /// <summary>The seed <c>digits train</c> uses unless <c>--seed</c> says otherwise. The validation images of a
    /// default run are therefore always the same ones, which is what makes them a held-out set for later measures
    /// (<c>digits data synth-scans --split validation</c> draws only from them).</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>Seed for the subset and the validation split (the trainer's options carry its own).</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>Fraction of the (subset of the) training images held out for validation, in [0, 0.9).</summary>
    public double ValidationFraction { get; init; }

    /// <summary>Train on exactly this many images (null: all): a stratified sample, or the first ones with <see cref="SubsetFirst"/>.</summary>
    public int? Subset { get; init; }

    /// <summary>Take the first <see cref="Subset"/> images, as the scikit-learn anchors do, instead of a stratified sample.</summary>
    public bool SubsetFirst { get; init; }

    /// <summary>The command line that started the run, stored in the model's metadata.</summary>
    public string Command { get; init; } = "";
}

/// <summary>How a run ended.</summary>
/// <param name="ModelPath">The file written: <see cref="ModelOutput.Path"/>, or its interrupted copy for a run that did not finish.</param>
/// <param name="Result">The trainer's result: the model, validation accuracy, epochs, history.</param>
/// <param name="Test">The test split's evaluation; null for a run that did not finish (it skips the test pass to answer at once).</param>
/// <param name="Interrupted">Stopped before its end (Ctrl+C, or divergence): the model is the best so far.</param>
/// <param name="Calibration">The temperature fitted on the validation images and its effect there; null without them.</param>
/// <param name="TestUncalibrated">The test split scored without the temperature, from the same predictions, to show
/// what calibration did; null for an uncalibrated model.</param>
public sealed record TrainingOutcome(string ModelPath, TrainerResult Result, EvaluationResult? Test, double TrainSeconds,
    int TrainCount, int ValidationCount, bool Interrupted, Calibration? Calibration = null, EvaluationResult? TestUncalibrated = null);

/// <summary>
/// The part of training every kind shares: check the images' size, take the subset and the validation split, fit, fit a
/// temperature on the validation images, measure on the test split, and save the model with its provenance. The test
/// set is only evaluated after training; nothing is chosen on it. <see cref="Prepare"/> does everything before the fit,
/// so a front end can say what will be trained before it starts.
/// </summary>
public sealed class TrainingSession
{
    private readonly TrainingPlan plan;
    private readonly TrainingSet set;

    private TrainingSession(TrainingPlan plan, TrainingSet set)
    {
        this.plan = plan;
        this.set = set;
    }

    /// <summary>Images the trainer fits on.</summary>
    public int TrainCount => set.TrainIndices.Length;

    /// <summary>Images held out for validation (0 without a split).</summary>
    public int ValidationCount => set.ValidationIndices?.Length ?? 0;

    /// <exception cref="InvalidOptionException">A subset or validation fraction out of range.</exception>
    /// <exception cref="DigitsException">Training or test images of another size than the dataset's.</exception>
    public static TrainingSession Prepare(TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!(plan.ValidationFraction >= 0 && plan.ValidationFraction < 0.9))
            throw new InvalidOptionException("--validation", $"must be in [0, 0.9), got {plan.ValidationFraction}");
        plan.Data.RequireCatalogImageSize(DatasetSplit.Train);
        plan.Data.RequireCatalogImageSize(DatasetSplit.Test);
        var train = TakeSubset(plan.Data.Train, plan.Subset, plan.SubsetFirst, plan.Seed);
        if (plan.ValidationFraction == 0)
            return new TrainingSession(plan, TrainingSet.All(train));
        var (trainIndices, validationIndices) = StratifiedSplit.Create(train.Labels, plan.ValidationFraction, plan.Seed);
        return new TrainingSession(plan, new TrainingSet(train, trainIndices, validationIndices));
    }

    /// <summary>
    /// Exactly <paramref name="count"/> of <paramref name="images"/> (all when null): a stratified sample for the seed,
    /// or the first ones with <paramref name="first"/>.
    /// </summary>
    /// <exception cref="InvalidOptionException">More than there are.</exception>
    public static LabeledImages TakeSubset(LabeledImages images, int? count, bool first, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (count is not int n || n == images.Count)
            return images;
        if (n > images.Count)
            throw new InvalidOptionException("--subset", $"must be at most {images.Count:N0} (the training images there are), got {n:N0}");
        return first ? images.Take(n) : images.Subset(StratifiedSplit.Sample(images.Labels, n, seed));
    }

    /// <summary>
    /// Fits, measures on the test split and saves. A run that does not finish (cancelled, or stopped by divergence)
    /// saves to <see cref="ModelOutput.InterruptedPath"/> and leaves <see cref="ModelOutput.Path"/> as it was; a signal
    /// during the test pass counts as such a run too.
    /// </summary>
    /// <returns>How the run ended; a diverged run's error is in <see cref="TrainerResult.Diverged"/>, for the caller to
    /// report once it has said where the last finite model went.</returns>
    public TrainingOutcome Run(IProgress<Neural.Training.TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        long started = Stopwatch.GetTimestamp();
        TrainerResult result = plan.Trainer.Fit(set, progress, cancellationToken);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // With validation images, a temperature is fitted on them (Calibrator) and kept in the model's metadata.
        Calibration? calibration = null;
        if (set.ValidationIndices is { } validation && !result.Interrupted && result.Diverged is null)
        {
            try
            {
                (var calibrated, calibration) = Calibrator.Calibrate(result.Model, set.Images.Subset(validation), cancellationToken);
                result = result with { Model = calibrated };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                result = result with { Interrupted = true };
            }
        }

        // A run that did not finish skips the test pass, to answer at once; a signal during it counts as not finishing.
        EvaluationResult? test = null, testUncalibrated = null;
        if (!result.Interrupted && !cancellationToken.IsCancellationRequested)
        {
            var images = plan.Data.Test;
            try
            {
                if (result.Model is CalibratedModel calibratedModel)
                    (test, testUncalibrated) = Calibrator.Evaluate(calibratedModel, images.Pixels, images.Labels, images.Count, cancellationToken);
                else
                    test = Evaluator.Evaluate(result.Model, images.Pixels, images.Labels, images.Count, cancellationToken: cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
        bool interrupted = test is null;
        var metadata = Metadata(result, test, seconds, interrupted) with { Calibration = calibration };
        string path = plan.Output.Save(metadata, result.Model.Tensors(), finished: !interrupted);
        return new TrainingOutcome(path, result, test, seconds, TrainCount, ValidationCount, interrupted, calibration, testUncalibrated);
    }

    /// <summary>The model file's provenance: kind, architecture and preprocessing from the model, and how it was made.</summary>
    private ModelMetadata Metadata(TrainerResult result, EvaluationResult? test, double seconds, bool interrupted)
    {
        var metrics = new Dictionary<string, object?>
        {
            ["test_accuracy"] = test?.Accuracy,
            ["test_log_loss"] = FiniteOrNull(test?.LogLoss),
            ["test_ece"] = test?.Ece,
            ["validation_accuracy"] = result.ValidationAccuracy,
            ["train_seconds"] = Math.Round(seconds, 3),
            ["epochs"] = result.Epochs,
            ["train_count"] = TrainCount,
            ["validation_count"] = ValidationCount,
            ["interrupted"] = interrupted,
        };
        var model = result.Model;
        return new ModelMetadata
        {
            Kind = model.Kind,
            Recipe = model.Recipe,
            Labels = model.Labels,
            Architecture = model.Architecture,
            Preprocessing = model.Preprocessing,
            Command = plan.Command,
            Seed = (long)plan.Seed,
            Metrics = JsonSerializer.Serialize(metrics),
            TrainDataSha256 = set.Images.ContentSha256(),
        };
    }

    /// <summary>JSON has no NaN or infinity (a log loss is infinite when a certain answer is wrong).</summary>
    private static double? FiniteOrNull(double? value) => value is double v && double.IsFinite(v) ? v : null;
}
