using System.Diagnostics;
using Digits.Data;
using Digits.Evaluation;

namespace Digits.Tuning;

/// <summary>One trial's outcome: its parameters, the accuracy on each held-out fold, and how long it took.</summary>
public sealed record TrialResult(IReadOnlyDictionary<string, double> Parameters, IReadOnlyList<double> FoldAccuracies, double Seconds)
{
    /// <summary>Mean held-out accuracy over the folds (0–1).</summary>
    public double CvMean => FoldAccuracies.Average();

    /// <summary>Standard deviation of the fold accuracies (population form, as scikit-learn reports).</summary>
    public double CvStd => Math.Sqrt(FoldAccuracies.Average(a => (a - CvMean) * (a - CvMean)));
}

/// <summary>
/// Stratified k-fold cross-validation: each fold is held out once while the model trains on the others, so a
/// setting is judged only on training data. The test set never takes part in choosing.
/// </summary>
public static class CrossValidation
{
    /// <summary>Fits and scores one parameter setting on every fold.</summary>
    /// <param name="fit">Trains a model on the given images with the given parameters.</param>
    /// <param name="cancellationToken">Checked before every fold and every evaluation batch; a fit that cannot take
    /// it runs to its end first (use the overload whose fit takes the token).</param>
    public static TrialResult Run(LabeledImages data, int[] foldOfSample, int folds, IReadOnlyDictionary<string, double> parameters,
        Func<LabeledImages, IReadOnlyDictionary<string, double>, IClassifier> fit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return Run(data, foldOfSample, folds, parameters, (train, p, _) => fit(train, p), cancellationToken);
    }

    /// <summary>Fits and scores one parameter setting on every fold, passing <paramref name="cancellationToken"/> to each fit.</summary>
    /// <param name="fit">Trains a model on the given images with the given parameters, stopping when the token is cancelled.</param>
    public static TrialResult Run(LabeledImages data, int[] foldOfSample, int folds, IReadOnlyDictionary<string, double> parameters,
        Func<LabeledImages, IReadOnlyDictionary<string, double>, CancellationToken, IClassifier> fit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(foldOfSample);
        var started = Stopwatch.GetTimestamp();
        var accuracies = new double[folds];
        for (int f = 0; f < folds; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var train = new List<int>(data.Count);
            var held = new List<int>(data.Count / folds + 1);
            for (int i = 0; i < data.Count; i++)
                (foldOfSample[i] == f ? held : train).Add(i);
            var model = fit(data.Subset(train.ToArray()), parameters, cancellationToken);
            var test = data.Subset(held.ToArray());
            accuracies[f] = Evaluator.Evaluate(model, test.Pixels, test.Labels, test.Count, cancellationToken: cancellationToken).Accuracy;
        }
        return new TrialResult(parameters, accuracies, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
