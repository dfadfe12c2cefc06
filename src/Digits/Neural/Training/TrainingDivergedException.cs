using System.Globalization;

namespace Digits.Neural.Training;

/// <summary>Which figure of a <see cref="CnnTrainer"/> run stopped being a finite number.</summary>
public enum DivergenceSignal
{
    /// <summary>The mean loss of one training batch, checked after every step.</summary>
    TrainingLoss,

    /// <summary>The weights or BatchNorm statistics at the end of an epoch (the last step's update overflowed).</summary>
    Weights,

    /// <summary>The mean loss over the validation set at the end of an epoch.</summary>
    ValidationLoss,
}

/// <summary>
/// CNN training diverged: a loss (or the weights) became NaN or infinite, so every later step would be meaningless.
/// <see cref="CnnTrainer"/> stops at once and throws this; the checkpoint file, if any, is left holding the last
/// finite epoch, and <see cref="LastFinite"/> holds that epoch's model. The usual cause is a learning rate too high
/// for the recipe.
/// </summary>
public sealed class TrainingDivergedException : DigitsException
{
    public TrainingDivergedException(DivergenceSignal signal, double value, int epoch, int batch, float learningRate,
        float peakLearningRate, CnnClassifier? lastFinite, int lastFiniteEpoch)
        : base("training", Describe(signal, value, epoch, batch, learningRate, peakLearningRate))
    {
        Signal = signal;
        Value = value;
        Epoch = epoch;
        Batch = batch;
        LearningRate = learningRate;
        PeakLearningRate = peakLearningRate;
        LastFinite = lastFinite;
        LastFiniteEpoch = lastFinite is null ? 0 : lastFiniteEpoch;
    }

    /// <summary>What became non-finite.</summary>
    public DivergenceSignal Signal { get; }

    /// <summary>The non-finite figure: NaN or ±∞ for a loss; NaN or +∞ for the weights (NaN if any weight is NaN).</summary>
    public double Value { get; }

    /// <summary>The 1-based epoch in which it happened.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based batch of <see cref="Epoch"/> after which it was seen (the epoch's last batch for
    /// <see cref="DivergenceSignal.Weights"/> and <see cref="DivergenceSignal.ValidationLoss"/>).</summary>
    public int Batch { get; }

    /// <summary>The scheduled learning rate of that batch's step.</summary>
    public float LearningRate { get; }

    /// <summary>The schedule's peak, <see cref="CnnTrainingOptions.LearningRate"/> (the CLI's <c>--lr</c>).</summary>
    public float PeakLearningRate { get; }

    /// <summary>
    /// The best finished epoch's model, from the weights the trainer kept (the one a checkpoint holds), or null if
    /// no epoch had finished.
    /// </summary>
    public CnnClassifier? LastFinite { get; }

    /// <summary>The 1-based epoch <see cref="LastFinite"/> comes from; 0 when it is null.</summary>
    public int LastFiniteEpoch { get; }

    private static string Describe(DivergenceSignal signal, double value, int epoch, int batch, float learningRate, float peakLearningRate)
    {
        string became = double.IsNaN(value) ? "NaN" : "infinite";
        string where = signal switch
        {
            DivergenceSignal.TrainingLoss => $"the loss became {became} in epoch {epoch}, batch {batch}",
            DivergenceSignal.Weights => $"the weights became {became} in epoch {epoch}, batch {batch}",
            _ => $"the validation loss became {became} after epoch {epoch}",
        };
        return $"{where} (learning rate {Format(learningRate)}); try a lower learning rate (--lr, now {Format(peakLearningRate)}), e.g. 10x lower: --lr {Format(peakLearningRate / 10)}";
    }

    /// <summary>A learning rate as people write it: 0.003, 1e9, 1e-5.</summary>
    internal static string Format(float learningRate)
    {
        string text = ((double)learningRate).ToString("G3", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E');
        if (e < 0)
        {
            return text;
        }
        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{text[..e]}e{exponent}");
    }
}
