using Digits.Data;

namespace Digits.Tuning;

/// <summary>The outcome of a grid or random search.</summary>
/// <param name="Trials">Every trial, in the order of the grid.</param>
/// <param name="Best">The trial with the highest mean cross-validation accuracy (the first, on a tie).</param>
public sealed record SearchResult(IReadOnlyList<TrialResult> Trials, TrialResult Best, int Folds);

/// <summary>
/// Grid or random search over hyperparameters with stratified k-fold cross-validation, trials run in parallel.
/// The folds depend only on the seed, so every trial sees the same splits and results are reproducible.
/// </summary>
public static class ParameterSearch
{
    /// <param name="settings">The combinations to try (from <see cref="ParameterGrid.Combinations"/> or <see cref="ParameterGrid.Sample"/>).</param>
    /// <param name="parallelTrials">How many trials run at once (each trial's own kernels may use more threads).</param>
    /// <param name="trialDone">Called after each trial, from the thread that ran it.</param>
    /// <param name="cancellationToken">Checked before every trial, fold and evaluation batch; a fit that cannot take it
    /// runs to its end first (use the overload whose fit takes the token to stop within fits too).</param>
    public static SearchResult Run(LabeledImages data, IReadOnlyList<IReadOnlyDictionary<string, double>> settings, int folds, ulong seed,
        Func<LabeledImages, IReadOnlyDictionary<string, double>, IClassifier> fit, int parallelTrials = 2,
        Action<TrialResult>? trialDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return Run(data, settings, folds, seed, (train, p, _) => fit(train, p), parallelTrials, trialDone, cancellationToken);
    }

    /// <summary>
    /// As the other overload, with a <paramref name="fit"/> that takes the token, so that a cancelled search stops
    /// inside the fits in flight (within the fit's own check interval) and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static SearchResult Run(LabeledImages data, IReadOnlyList<IReadOnlyDictionary<string, double>> settings, int folds, ulong seed,
        Func<LabeledImages, IReadOnlyDictionary<string, double>, CancellationToken, IClassifier> fit, int parallelTrials = 2,
        Action<TrialResult>? trialDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallelTrials);
        if (settings.Count == 0)
            throw new ArgumentException("needs at least one setting", nameof(settings));
        int[] foldOfSample = StratifiedSplit.Folds(data.Labels, folds, seed, data.ClassCount);
        var trials = new TrialResult[settings.Count];
        try
        {
            Parallel.For(0, settings.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelTrials, CancellationToken = cancellationToken }, i =>
            {
                trials[i] = CrossValidation.Run(data, foldOfSample, folds, settings[i], fit, cancellationToken);
                trialDone?.Invoke(trials[i]);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // A failing trial (bad data, cancellation) surfaces as itself, not wrapped, so callers can report it plainly.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        var best = trials[0];
        foreach (var t in trials)
        {
            if (t.CvMean > best.CvMean)
                best = t;
        }
        return new SearchResult(trials, best, folds);
    }
}
