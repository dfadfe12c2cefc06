namespace Digits.Neural.Training;

/// <summary>
/// The outcome of a <see cref="CnnTrainer"/> run that did not diverge (a diverging run throws
/// <see cref="TrainingDivergedException"/> instead, so every figure here is finite).
/// </summary>
/// <param name="Model">The best-validation model (the last one without a validation set).</param>
/// <param name="History">Every finished epoch, including those before a resume.</param>
/// <param name="BestEpoch">The 1-based epoch <paramref name="Model"/> comes from; 0 if no epoch finished.</param>
/// <param name="BestValidationAccuracy">Its validation accuracy, or null without a validation set.</param>
/// <param name="Interrupted">Cancelled before the planned epochs finished (the CLI exits 130).</param>
/// <param name="StoppedEarly">Stopped by early stopping.</param>
/// <param name="Seconds">Wall time of this call.</param>
public sealed record CnnTrainingResult(
    CnnClassifier Model, IReadOnlyList<EpochSummary> History, int BestEpoch, double? BestValidationAccuracy,
    bool Interrupted, bool StoppedEarly, double Seconds);
