using Digits.Neural.Training;

namespace Digits.Training;

/// <summary>
/// What every kind's trainer is to the rest of Digits: training images in, a model out. The CLI's <c>train</c> and
/// <c>tune</c> and <c>report</c>, and later the web, all train through it; <see cref="TrainerRegistry"/> finds the
/// trainer for a name, and <see cref="TrainingSession"/> wraps a fit in subset, split, test pass and saving.
/// </summary>
public interface ITrainer
{
    /// <summary>A short name for logs and the default model file: the recipe or kind, e.g. <c>cnn-fast</c>, <c>logreg</c>,
    /// <c>cnn-ensemble5</c>.</summary>
    string Name { get; }

    /// <summary>The kind of model it makes, one of <see cref="Persistence.ModelKind"/>.</summary>
    string Kind { get; }

    /// <summary>The CNN recipe (<c>cnn</c>, <c>cnn-fast</c>, <c>keras</c>); null for other kinds.</summary>
    string? Recipe { get; }

    /// <summary>
    /// Trains on <see cref="TrainingSet.TrainIndices"/> and, where the kind uses one, chooses on
    /// <see cref="TrainingSet.ValidationIndices"/>. Never sees the test set.
    /// </summary>
    /// <param name="progress">Per-batch reports, from trainers that have batches (the CNNs); others report nothing.</param>
    /// <param name="cancellationToken">A trainer that can keep a partial model returns it marked
    /// <see cref="TrainerResult.Interrupted"/>; one that cannot throws <see cref="OperationCanceledException"/>.</param>
    TrainerResult Fit(TrainingSet data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default);
}
