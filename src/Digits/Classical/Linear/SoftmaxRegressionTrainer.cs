using Digits.Data;
using Digits.Persistence;

namespace Digits.Classical;

/// <summary>
/// Fits a <see cref="SoftmaxRegression"/> by minimizing <see cref="SoftmaxRegressionObjective"/> with
/// <see cref="Lbfgs{T}"/>, starting from zero weights: the objective is strictly convex (L2 on W, and the bias is
/// pinned down by the data), so the start changes only the time taken, not the answer.
/// </summary>
public sealed class SoftmaxRegressionTrainer : Training.ITrainer
{
    private readonly SoftmaxRegressionOptions options;

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public SoftmaxRegressionTrainer(SoftmaxRegressionOptions? options = null)
    {
        this.options = options ?? new SoftmaxRegressionOptions();
        this.options.Validate();
    }

    public SoftmaxRegressionOptions Options => options;

    string Training.ITrainer.Name => Persistence.ModelKind.LogReg;

    string Training.ITrainer.Kind => Persistence.ModelKind.LogReg;

    string? Training.ITrainer.Recipe => null;

    /// <summary>Fits on the training part of <paramref name="data"/> and scores its validation part (see <see cref="Training.TrainingSet.FitWhole"/>).</summary>
    Training.TrainerResult Training.ITrainer.Fit(Training.TrainingSet data, IProgress<Neural.Training.TrainingProgress>? progress, CancellationToken cancellationToken) =>
        data.FitWhole((train, token) => Fit(train, cancellationToken: token), cancellationToken);

    /// <summary>Fits on every image of <paramref name="train"/>.</summary>
    /// <param name="onStep">Called after each L-BFGS iteration, e.g. to log the objective; may be null.</param>
    /// <param name="cancellationToken">Checked before every objective evaluation (one full pass over the images, about
    /// 0.1 s on 60k MNIST images); a cancelled fit throws <see cref="OperationCanceledException"/>.</param>
    public SoftmaxRegression Fit(LabeledImages train, Action<LbfgsStep>? onStep = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        using var threads = new ThreadScope(options.Threads);
        float[] features = PixelFeatures.UnitFloats(train, options.Deskew);
        return Fit(features, train.Labels, train.Count, train.ClassCount, options, onStep, cancellationToken);
    }

    /// <summary>The fit on prepared features (see <see cref="PixelFeatures.UnitFloats"/>).</summary>
    internal static SoftmaxRegression Fit(float[] features, byte[] labels, int count, int classes,
        SoftmaxRegressionOptions options, Action<LbfgsStep>? onStep, CancellationToken cancellationToken = default)
    {
        if (count == 0)
            throw new ArgumentException("has no images to train on", nameof(count));
        var objective = new SoftmaxRegressionObjective(features, labels, count, PixelFeatures.Count, classes, options.C);
        var optimizer = new Lbfgs<float>(objective.ParameterCount, new LbfgsOptions
        {
            Memory = options.Memory,
            MaxIterations = options.MaxIterations,
            GradientTolerance = options.Tolerance,
            RelativeObjectiveTolerance = options.Tolerance,
        });
        float[] parameters = new float[objective.ParameterCount];
        optimizer.Minimize(objective.Evaluate, parameters, onStep, cancellationToken);
        float[] weights = new float[classes * PixelFeatures.Count], bias = new float[classes];
        objective.ToModel(parameters, weights, bias);
        var labelNames = classes == ModelMetadata.DigitLabels.Count ? ModelMetadata.DigitLabels
            : Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new SoftmaxRegression(weights, bias, options.Deskew, labelNames);
    }
}
