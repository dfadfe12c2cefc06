using Digits.Neural.Training;
using Digits.Persistence;

namespace Digits.Training;

/// <summary>What an <see cref="ITrainer"/> hands back.</summary>
/// <param name="Model">The trained model (for CNNs, the best-validation epoch's).</param>
/// <param name="ValidationAccuracy">Accuracy on the validation images, or null without them.</param>
/// <param name="Epochs">Epochs run, for iterative trainers; null otherwise.</param>
/// <param name="Interrupted">Stopped before its end: the model is the best so far.</param>
/// <param name="History">Every finished epoch, for trainers that have epochs (learning curves).</param>
/// <param name="Diverged">Stopped because the loss became NaN or infinite: the model is the last finite one, to be
/// kept as an unfinished run's, and this error is then reported.</param>
/// <param name="Notes">Lines a front end may log, e.g. each ensemble member's validation accuracy and the choice.</param>
public sealed record TrainerResult(
    IPersistableModel Model, double? ValidationAccuracy, int? Epochs, bool Interrupted,
    IReadOnlyList<EpochSummary>? History = null, TrainingDivergedException? Diverged = null, IReadOnlyList<string>? Notes = null);
