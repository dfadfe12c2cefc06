using Digits.Data;
using Digits.Evaluation;

namespace Digits.Classical;

/// <summary>
/// A regularization sweep for softmax regression: one fit per C on a training set, scored on a separate validation
/// set, for a chart of validation accuracy against C (<see cref="ParameterSweepChart"/>). Choose C here, never on the
/// test set.
/// </summary>
public static class SoftmaxRegressionSweep
{
    /// <summary>
    /// Fits <see cref="SoftmaxRegression"/> for each C in <paramref name="cs"/> (the other settings from
    /// <paramref name="options"/>) and returns one point per C, in the given order, with the validation accuracy.
    /// </summary>
    /// <remarks>
    /// The features are prepared once and shared. The fits run side by side, one per thread, rather than one after
    /// another each on every thread: separate fits share nothing but the read-only features, while one fit's threads
    /// meet at every matrix product, about a hundred times per fit. (<see cref="Tensors.WorkerPool"/> runs one job at a
    /// time; a fit that finds it busy computes on its own thread.) Each fit is deterministic, so the points do not
    /// depend on the thread count.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A C is not positive, or an option is out of range.</exception>
    public static IReadOnlyList<ParameterSweepPoint> Run(LabeledImages train, LabeledImages validation, IReadOnlyList<double> cs,
        SoftmaxRegressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(cs);
        options ??= new SoftmaxRegressionOptions();
        var perC = new SoftmaxRegressionOptions[cs.Count];
        for (int i = 0; i < cs.Count; i++)
        {
            perC[i] = options with { C = cs[i] };
            perC[i].Validate();
        }

        int threads = options.Threads == 0 ? Environment.ProcessorCount : options.Threads;
        using var scope = new ThreadScope(threads);
        float[] features = PixelFeatures.UnitFloats(train, options.Deskew);
        var points = new ParameterSweepPoint[cs.Count];
        Parallel.For(0, cs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var model = SoftmaxRegressionTrainer.Fit(features, train.Labels, train.Count, train.ClassCount, perC[i], null);
            points[i] = new ParameterSweepPoint(cs[i], Accuracy(model, validation));
        });
        return points;
    }

    /// <summary>The fraction of <paramref name="data"/> whose most probable class is its label.</summary>
    internal static double Accuracy(IClassifier model, LabeledImages data)
    {
        int classes = model.Labels.Count;
        float[] probabilities = new float[data.Count * classes];
        model.Predict(data.Pixels, data.Count, probabilities);
        return Evaluation.Metrics.Accuracy(data.Labels, probabilities, classes);
    }
}
