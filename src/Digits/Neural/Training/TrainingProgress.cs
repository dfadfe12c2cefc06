namespace Digits.Neural.Training;

/// <summary>
/// What <see cref="CnnTrainer"/> reports after every batch, on the training thread: a value type, so reporting
/// allocates nothing. <see cref="EpochEnd"/> is set on the report that closes an epoch (after validation).
/// Running figures are means over the epoch's batches so far, in training mode (dropout and augmentation on).
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Epochs">Epochs planned for the run.</param>
/// <param name="Batch">1-based batch number within the epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="RunningLoss">Mean cross-entropy in nats (with label smoothing, if any).</param>
/// <param name="RunningAccuracy">Fraction of training images classified correctly, 0–1.</param>
/// <param name="ImagesPerSecond">Training throughput over the epoch so far.</param>
/// <param name="EpochEnd">The finished epoch's record, or null within an epoch.</param>
/// <param name="Member">For an ensemble, the 1-based member being trained; 1 otherwise.</param>
/// <param name="Members">For an ensemble, how many members it trains; 1 otherwise.</param>
/// <param name="MemberSetup">For an ensemble, how the member differs from the others, e.g. <c>seed 2, elastic α=36 σ=6</c>.</param>
public readonly record struct TrainingProgress(
    int Epoch, int Epochs, int Batch, int Batches, double RunningLoss, double RunningAccuracy, double ImagesPerSecond,
    EpochSummary? EpochEnd = null, int Member = 1, int Members = 1, string? MemberSetup = null);
