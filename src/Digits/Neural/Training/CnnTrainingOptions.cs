using Digits.Imaging;

namespace Digits.Neural.Training;

/// <summary>Which update rule <see cref="CnnTrainer"/> uses.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with Nesterov momentum (<see cref="CnnTrainingOptions.Momentum"/>) and L2 weight decay.</summary>
    SgdNesterov,

    /// <summary>Adam (Kingma &amp; Ba 2015) with L2 weight decay added to the gradient.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter, ICLR 2019).</summary>
    AdamW,
}

/// <summary>How the learning rate moves over the run; every schedule peaks at <see cref="CnnTrainingOptions.LearningRate"/>.</summary>
public enum ScheduleKind
{
    Constant,

    /// <summary>Multiplied by 0.1 after each third of the epochs.</summary>
    Step,

    /// <summary>Cosine decay to 0 after a one-epoch linear warm-up (Loshchilov &amp; Hutter, ICLR 2017).</summary>
    Cosine,

    /// <summary>The one-cycle policy (Smith 2018; Smith &amp; Topin 2018) as PyTorch's OneCycleLR: up for 30% of the steps, then down.</summary>
    OneCycle,
}

/// <summary>
/// Settings of one <see cref="CnnTrainer"/> run. The defaults (in <see cref="Defaults"/>) are a sound start for a
/// small CNN on MNIST; recipes override them. Splitting off a validation set is the caller's job: the trainer
/// takes the training and validation sets it is given.
/// </summary>
public sealed record CnnTrainingOptions
{
    /// <summary>The default of each option, with the reason for it.</summary>
    public static class Defaults
    {
        /// <summary>Enough for a BN network with augmentation to converge on MNIST.</summary>
        public const int Epochs = 15;

        /// <summary>Large enough for efficient GEMMs on few cores, small enough for good generalization.</summary>
        public const int BatchSize = 128;

        /// <summary>Adam's usual rate (Kingma &amp; Ba 2015); the peak rate for cosine and one-cycle schedules.</summary>
        public const float LearningRate = 1e-3f;

        public const OptimizerKind Optimizer = OptimizerKind.AdamW;

        /// <summary>Adam's β1 and β2 (Kingma &amp; Ba 2015).</summary>
        public const float Beta1 = 0.9f, Beta2 = 0.999f;

        /// <summary>
        /// PyTorch <c>OneCycleLR</c>'s base_momentum and max_momentum: the range Smith (2018) recommends for cycling
        /// momentum against the learning rate.
        /// </summary>
        public const float BaseMomentum = 0.85f, MaxMomentum = 0.95f;

        /// <summary>Nesterov momentum for SGD.</summary>
        public const float Momentum = 0.9f;

        /// <summary>AdamW's default decoupled decay in PyTorch.</summary>
        public const float WeightDecay = 0.01f;

        public const ScheduleKind Schedule = ScheduleKind.OneCycle;

        /// <summary>No smoothing; 0.1 is the value of Szegedy et al. 2016.</summary>
        public const float LabelSmoothing = 0f;

        public const ulong Seed = 1;
    }

    public int Epochs { get; init; } = Defaults.Epochs;

    /// <summary>Images per optimizer step; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>The (peak) learning rate.</summary>
    public float LearningRate { get; init; } = Defaults.LearningRate;

    public OptimizerKind Optimizer { get; init; } = Defaults.Optimizer;

    /// <summary>Adam's decay rate of the first moment.</summary>
    public float Beta1 { get; init; } = Defaults.Beta1;

    /// <summary>Adam's decay rate of the second moment.</summary>
    public float Beta2 { get; init; } = Defaults.Beta2;

    /// <summary>
    /// Cycle Adam's β1 inversely to a one-cycle learning rate (Smith 2018), from <see cref="MaxMomentum"/> down to
    /// <see cref="BaseMomentum"/> and back, as PyTorch's <c>OneCycleLR</c> does by default; <see cref="Beta1"/> is then
    /// unused. Needs <see cref="ScheduleKind.OneCycle"/> and Adam or AdamW.
    /// </summary>
    public bool CycleMomentum { get; init; }

    /// <summary>The lowest β1 of <see cref="CycleMomentum"/>, reached at the learning-rate peak.</summary>
    public float BaseMomentum { get; init; } = Defaults.BaseMomentum;

    /// <summary>The β1 of <see cref="CycleMomentum"/> at the first and last steps.</summary>
    public float MaxMomentum { get; init; } = Defaults.MaxMomentum;

    /// <summary>SGD's momentum.</summary>
    public float Momentum { get; init; } = Defaults.Momentum;

    /// <summary>Weight decay; applies to weights only, not biases or BatchNorm parameters.</summary>
    public float WeightDecay { get; init; } = Defaults.WeightDecay;

    public ScheduleKind Schedule { get; init; } = Defaults.Schedule;

    /// <summary>Label smoothing ε of the cross-entropy (Szegedy et al., CVPR 2016), in [0, 1).</summary>
    public float LabelSmoothing { get; init; } = Defaults.LabelSmoothing;

    /// <summary>Random distortion of training images, prepared on a background thread; null for none.</summary>
    public AugmentationSettings? Augmentation { get; init; }

    /// <summary>Standardize inputs by the training set's pixel mean and deviation (stored in the model).</summary>
    public bool StandardizeInputs { get; init; }

    /// <summary>Seeds initial weights, shuffling, dropout and augmentation. With the same thread count, the same seed gives identical weights.</summary>
    public ulong Seed { get; init; } = Defaults.Seed;

    /// <summary>Threads for the tensor kernels (sets <see cref="Tensors.WorkerPool.Threads"/> for the run); null keeps the current setting.</summary>
    public int? Threads { get; init; }

    /// <summary>Stop after this many epochs without a better validation accuracy; null never stops early. Needs a validation set.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>
    /// Where to keep the best model so far (with optimizer state, to resume): written atomically after each epoch
    /// that improves validation accuracy, or after every epoch when there is no validation set. Null for none.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Continue from <see cref="CheckpointPath"/> if that file exists, instead of starting afresh.</summary>
    public bool Resume { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be at least 1");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be at least 1");
        if (!(LearningRate > 0f))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive");
        if (!(Beta1 is >= 0f and < 1f))
            throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "must be in [0, 1)");
        if (!(Beta2 is >= 0f and < 1f))
            throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "must be in [0, 1)");
        if (!(BaseMomentum is >= 0f and < 1f))
            throw new ArgumentOutOfRangeException(nameof(BaseMomentum), BaseMomentum, "must be in [0, 1)");
        if (!(MaxMomentum is >= 0f and < 1f) || MaxMomentum < BaseMomentum)
            throw new ArgumentOutOfRangeException(nameof(MaxMomentum), MaxMomentum, "must be in [BaseMomentum, 1)");
        if (CycleMomentum && (Schedule != ScheduleKind.OneCycle || Optimizer == OptimizerKind.SgdNesterov))
            throw new ArgumentOutOfRangeException(nameof(CycleMomentum), CycleMomentum, "needs the one-cycle schedule and Adam or AdamW");
        if (!(Momentum is > 0f and < 1f))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "must be in (0, 1)");
        if (!(WeightDecay >= 0f))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be non-negative");
        if (!(LabelSmoothing is >= 0f and < 1f))
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "must be in [0, 1)");
        if (Threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be at least 1");
        if (EarlyStoppingPatience is < 1)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be at least 1");
        if (Resume && CheckpointPath is null)
            throw new ArgumentOutOfRangeException(nameof(Resume), Resume, "needs a CheckpointPath to resume from");
    }
}
