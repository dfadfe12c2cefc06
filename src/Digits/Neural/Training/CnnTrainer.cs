using System.Diagnostics;
using System.Numerics.Tensors;
using Digits.Data;
using Digits.Evaluation;
using Digits.Neural.Optimizers;
using Digits.Neural.Schedules;
using Digits.Persistence;
using Digits.Tensors;

namespace Digits.Neural.Training;

/// <summary>
/// Trains a <see cref="CnnRecipe"/> by mini-batch gradient descent and returns the model of the epoch with the
/// best validation accuracy (the test set is never seen here). Each epoch reshuffles, optionally augments on a
/// background thread, steps the optimizer once per batch with the scheduled learning rate, then evaluates the
/// validation set. With the same seed and thread count, two runs give identical weights.
/// </summary>
/// <remarks>
/// Cancellation is checked after every batch: training stops there, the best checkpoint stays as it was, and the
/// result is marked <see cref="CnnTrainingResult.Interrupted"/> and holds the best model so far. Progress is
/// reported synchronously on the training thread, so a reporter can cancel from inside it.
/// <see cref="CnnTrainingOptions.Threads"/> sets the process-wide <see cref="WorkerPool.Threads"/> for the duration of
/// a call and restores it afterwards, so train one model at a time per process.
/// <para>
/// Divergence is checked after every batch (its loss) and at the end of every epoch (the weights and BatchNorm
/// statistics, then the validation loss): once one is NaN or infinite, training stops at once and throws
/// <see cref="TrainingDivergedException"/> with the best finished epoch's model. Checkpoints are written only after
/// those checks pass, so a checkpoint file never holds non-finite weights.
/// </para>
/// </remarks>
public sealed class CnnTrainer(CnnRecipe recipe) : Digits.Training.ITrainer
{
    public CnnRecipe Recipe { get; } = recipe ?? throw new ArgumentNullException(nameof(recipe));

    string Digits.Training.ITrainer.Name => Recipe.Name;

    string Digits.Training.ITrainer.Kind => ModelKind.Cnn;

    string? Digits.Training.ITrainer.Recipe => Recipe.Name;

    /// <summary>
    /// <see cref="Train(LabeledImages, int[], int[], IProgress{TrainingProgress}, ModelMetadata, CancellationToken)"/> as an
    /// <see cref="Digits.Training.ITrainer"/>: a run that diverges after a finished epoch comes back with that epoch's
    /// model and the error in <see cref="Digits.Training.TrainerResult.Diverged"/>; one that diverges before any epoch
    /// finished throws it.
    /// </summary>
    Digits.Training.TrainerResult Digits.Training.ITrainer.Fit(Digits.Training.TrainingSet data, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            var result = Train(data.Images, data.TrainIndices, data.ValidationIndices, progress, cancellationToken: cancellationToken);
            return new Digits.Training.TrainerResult(result.Model, result.BestValidationAccuracy, result.History.Count, result.Interrupted, result.History);
        }
        catch (TrainingDivergedException e) when (e.LastFinite is not null)
        {
            return new Digits.Training.TrainerResult(e.LastFinite, null, e.LastFiniteEpoch, Interrupted: true, Diverged: e);
        }
    }

    /// <summary>Trains on all of <paramref name="train"/>, choosing the best epoch on <paramref name="validation"/> when given.</summary>
    /// <param name="provenance">Command, seed, data hash and parent written into checkpoints; the trainer fills the rest.
    /// When null, checkpoints record the seed and the SHA-256 of the whole training <see cref="LabeledImages"/> with an empty command.</param>
    public CnnTrainingResult Train(LabeledImages train, LabeledImages? validation, IProgress<TrainingProgress>? progress = null,
        ModelMetadata? provenance = null, CancellationToken cancellationToken = default) =>
        Run(train, AllOf(train), validation, validation is null ? null : AllOf(validation), progress, provenance, cancellationToken);

    /// <summary>
    /// Trains on the images of <paramref name="data"/> at <paramref name="trainIndices"/> and validates on those at
    /// <paramref name="validationIndices"/> (e.g. from <see cref="StratifiedSplit.Create"/>).
    /// </summary>
    public CnnTrainingResult Train(LabeledImages data, int[] trainIndices, int[]? validationIndices,
        IProgress<TrainingProgress>? progress = null, ModelMetadata? provenance = null, CancellationToken cancellationToken = default) =>
        Run(data, trainIndices, validationIndices is null ? null : data, validationIndices, progress, provenance, cancellationToken);

    private CnnTrainingResult Run(LabeledImages train, int[] trainIndices,
        LabeledImages? validation, int[]? validationIndices, IProgress<TrainingProgress>? progress,
        ModelMetadata? provenance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(trainIndices);
        CnnTrainingOptions options = Recipe.Training;
        options.Validate();
        if (options.EarlyStoppingPatience is not null && validationIndices is null)
        {
            throw new ArgumentException("early stopping needs a validation set", nameof(validation));
        }
        long started = Stopwatch.GetTimestamp();
        int savedThreads = WorkerPool.Threads;
        WorkerPool.Threads = options.Threads ?? savedThreads;
        try
        {
            var shape = new SampleShape(1, train.Rows, train.Cols);
            InputStandardization? standardization = options.StandardizeInputs ? InputStandardization.Measure(train, trainIndices) : null;
            var architecture = new CnnArchitecture(shape, Recipe.Layers, standardization);
            var network = new Network(shape, Recipe.Layers, options.BatchSize, options.Seed);
            Optimizer optimizer = CreateOptimizer(options, network.Parameters);
            using var batches = new TrainingBatches(train, trainIndices, options.BatchSize, options.Seed,
                options.Augmentation, standardization, background: options.Augmentation is not null);
            LearningRateSchedule schedule = CreateSchedule(options, batches.BatchesPerEpoch);
            Dropout[] dropouts = [.. network.Layers.OfType<Dropout>()];

            var history = new List<EpochSummary>();
            int firstEpoch = 0, bestEpoch = 0, epochsWithoutImprovement = 0;
            double? bestAccuracy = null;
            float[]? bestValues = null, bestBuffers = null;
            // The optimizer and dropout state that go with the best weights, so that every checkpoint is one
            // consistent moment of training (kept only when checkpoints are written).
            float[][]? bestOptimizer = null;
            long bestSteps = 0;
            ulong[] bestMasks = [];
            if (options.Resume && File.Exists(options.CheckpointPath))
            {
                TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(options.CheckpointPath!);
                if (checkpoint.Model.Architecture != architecture.ToJson() || checkpoint.Optimizer != options.Optimizer
                    || checkpoint.DropoutMasks.Length != dropouts.Length)
                {
                    throw new DigitsException(options.CheckpointPath!, "was written for another architecture or optimizer than this run's");
                }
                checkpoint.Model.Parameters.Values.CopyTo(network.Parameters.Values, 0);
                checkpoint.Model.Parameters.Buffers.CopyTo(network.Parameters.Buffers, 0);
                checkpoint.RestoreOptimizer(optimizer);
                for (int i = 0; i < dropouts.Length; i++)
                {
                    dropouts[i].MasksDrawn = checkpoint.DropoutMasks[i];
                }
                history.AddRange(checkpoint.History);
                firstEpoch = checkpoint.EpochsDone;
                bestEpoch = checkpoint.BestEpoch;
                bestAccuracy = checkpoint.BestValidationAccuracy;
                bestValues = (float[])network.Parameters.Values.Clone();
                bestBuffers = (float[])network.Parameters.Buffers.Clone();
                bestOptimizer = checkpoint.OptimizerState;
                bestSteps = checkpoint.OptimizerSteps;
                bestMasks = checkpoint.DropoutMasks;
            }

            ModelMetadata? checkpointProvenance = options.CheckpointPath is null ? null : provenance ?? DefaultProvenance(options, train);
            var step = new TrainingStep(network, optimizer, schedule, CreateMomentumSchedule(options, batches.BatchesPerEpoch),
                options.LabelSmoothing, train.ClassCount);
            var validator = validationIndices is null ? null : new Validator(network, validation!, validationIndices, standardization);
            bool interrupted = false, stoppedEarly = false;
            for (int epoch = firstEpoch; epoch < options.Epochs && !interrupted && !stoppedEarly; epoch++)
            {
                long epochStarted = Stopwatch.GetTimestamp();
                batches.StartEpoch(epoch);
                step.StartEpoch();
                int batchNumber = 0;
                while (batches.Next(out TrainingBatch batch))
                {
                    step.Run(batch);
                    batchNumber++;
                    if (!float.IsFinite(step.LastLoss))
                    {
                        throw Diverged(DivergenceSignal.TrainingLoss, step.LastLoss, epoch + 1, batchNumber);
                    }
                    double seconds = Stopwatch.GetElapsedTime(epochStarted).TotalSeconds;
                    progress?.Report(new TrainingProgress(epoch + 1, options.Epochs, batchNumber, batches.BatchesPerEpoch,
                        step.MeanLoss, step.Accuracy, step.Images / Math.Max(seconds, 1e-9)));
                    if (cancellationToken.IsCancellationRequested)
                    {
                        interrupted = true;
                        break;
                    }
                }
                if (interrupted)
                {
                    break;
                }

                if (!Finite.All<float>(network.Parameters.Values) || !Finite.All<float>(network.Parameters.Buffers))
                {
                    bool nan = TensorPrimitives.IsNaNAny<float>(network.Parameters.Values) || TensorPrimitives.IsNaNAny<float>(network.Parameters.Buffers);
                    throw Diverged(DivergenceSignal.Weights, nan ? double.NaN : double.PositiveInfinity, epoch + 1, batchNumber);
                }
                (double Loss, double Accuracy)? validated = validator?.Evaluate();
                if (validated is { Loss: var validationLoss } && !double.IsFinite(validationLoss))
                {
                    throw Diverged(DivergenceSignal.ValidationLoss, validationLoss, epoch + 1, batchNumber);
                }
                bool improved = validated is null || validated.Value.Accuracy > (bestAccuracy ?? double.NegativeInfinity);
                var point = new LearningCurvePoint(epoch + 1, step.MeanLoss, step.Accuracy, validated?.Loss, validated?.Accuracy);
                var summary = new EpochSummary(point, Stopwatch.GetElapsedTime(epochStarted).TotalSeconds, step.LastLearningRate, improved);
                history.Add(summary);
                if (improved)
                {
                    bestEpoch = epoch + 1;
                    bestAccuracy = validated?.Accuracy;
                    epochsWithoutImprovement = 0;
                    bestValues = (float[])network.Parameters.Values.Clone();
                    bestBuffers = (float[])network.Parameters.Buffers.Clone();
                    if (options.CheckpointPath is not null)
                    {
                        bestOptimizer = TrainingCheckpoint.CaptureOptimizer(optimizer);
                        bestSteps = optimizer.Steps;
                        bestMasks = [.. dropouts.Select(d => d.MasksDrawn)];
                    }
                    SaveCheckpoint(epoch + 1);
                }
                else
                {
                    epochsWithoutImprovement++;
                    stoppedEarly = epochsWithoutImprovement >= options.EarlyStoppingPatience;
                }
                progress?.Report(new TrainingProgress(epoch + 1, options.Epochs, batchNumber, batches.BatchesPerEpoch,
                    step.MeanLoss, step.Accuracy, step.Images / Math.Max(summary.Seconds, 1e-9), summary));
                interrupted = cancellationToken.IsCancellationRequested && epoch + 1 < options.Epochs;
            }

            if (!interrupted && firstEpoch < options.Epochs && bestValues is not null && bestEpoch < history.Count)
            {
                // The last epochs did not beat the best one: record that training is over, so --resume returns the
                // best weights at once instead of replaying the epochs after the best.
                SaveCheckpoint(options.Epochs);
            }

            var best = new CnnClassifier(architecture, bestValues ?? network.Parameters.Values, bestBuffers ?? network.Parameters.Buffers,
                Recipe.Name, Recipe.Preprocessing);
            return new CnnTrainingResult(best, history, bestEpoch, bestAccuracy, interrupted, stoppedEarly,
                Stopwatch.GetElapsedTime(started).TotalSeconds);

            // Training has diverged; the best finished epoch (the checkpoint's, if any) is the last finite model.
            TrainingDivergedException Diverged(DivergenceSignal signal, double value, int epochNumber, int batchNumber) =>
                new(signal, value, epochNumber, batchNumber, step.LastLearningRate, options.LearningRate,
                    bestValues is null ? null : new CnnClassifier(architecture, bestValues, bestBuffers!, Recipe.Name, Recipe.Preprocessing),
                    bestEpoch);

            // The best epoch's weights, optimizer and dropout state, with epochsDone as where --resume continues: the
            // best epoch itself, or the run's last epoch once it is over (then --resume returns the best weights).
            void SaveCheckpoint(int epochsDone)
            {
                if (options.CheckpointPath is not { } path || bestValues is null || bestOptimizer is null)
                {
                    return;
                }
                // Only saved, never run: one image of buffers, not a batch's worth for every improved epoch.
                var model = new CnnClassifier(architecture, bestValues, bestBuffers!, Recipe.Name, Recipe.Preprocessing, maxBatch: 1);
                new TrainingCheckpoint(model, epochsDone, options.Optimizer, bestSteps, bestMasks, bestOptimizer,
                        bestEpoch, bestAccuracy, [.. history])
                    .Save(path, checkpointProvenance!);
            }
        }
        finally
        {
            WorkerPool.Threads = savedThreads;
        }
    }

    private static int[] AllOf(LabeledImages images) => [.. Enumerable.Range(0, images.Count)];

    private ModelMetadata DefaultProvenance(CnnTrainingOptions options, LabeledImages train) => new()
    {
        Kind = ModelKind.Cnn,
        Recipe = Recipe.Name,
        Labels = ModelMetadata.DigitLabels,
        Architecture = "{}",
        Preprocessing = Recipe.Preprocessing,
        Command = "",
        Seed = (long)options.Seed,
        Metrics = "{}",
        TrainDataSha256 = train.ContentSha256(),
    };

    private static Optimizer CreateOptimizer(CnnTrainingOptions options, ParameterStore store) => options.Optimizer switch
    {
        OptimizerKind.SgdNesterov => new Sgd(store, options.Momentum, nesterov: true, options.WeightDecay),
        OptimizerKind.Adam => new Adam(store, options.Beta1, options.Beta2, weightDecay: options.WeightDecay),
        OptimizerKind.AdamW => new AdamW(store, options.Beta1, options.Beta2, weightDecay: options.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "unknown optimizer"),
    };

    private static LearningRateSchedule CreateSchedule(CnnTrainingOptions options, int batchesPerEpoch)
    {
        long total = (long)options.Epochs * batchesPerEpoch;
        return options.Schedule switch
        {
            ScheduleKind.Constant => new ConstantSchedule(options.LearningRate),
            ScheduleKind.Step => new StepSchedule(options.LearningRate, Math.Max(1, total / 3), 0.1f),
            ScheduleKind.Cosine => new CosineSchedule(options.LearningRate, Math.Max(total, batchesPerEpoch + 1L),
                warmupSteps: options.Epochs > 1 ? batchesPerEpoch : 0),
            ScheduleKind.OneCycle => new OneCycleSchedule(options.LearningRate, Math.Max(total, 2)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Schedule, "unknown schedule"),
        };
    }

    /// <summary>The β1 cycle matching <see cref="CreateSchedule"/>'s one-cycle rate, or null without <see cref="CnnTrainingOptions.CycleMomentum"/>.</summary>
    private static OneCycleMomentumSchedule? CreateMomentumSchedule(CnnTrainingOptions options, int batchesPerEpoch) =>
        options.CycleMomentum
            ? new OneCycleMomentumSchedule(options.BaseMomentum, options.MaxMomentum, Math.Max((long)options.Epochs * batchesPerEpoch, 2))
            : null;
}
