namespace Digits.Classical;

/// <summary>
/// Settings of <see cref="LinearSvmTrainer"/>: one-vs-rest L2-regularized linear SVMs, each solved by
/// <see cref="DualCoordinateDescent"/>. C, the loss and the tolerance mean what they mean in liblinear and in
/// scikit-learn's <c>LinearSVC</c> (whose <c>dual=True</c> solver this is).
/// </summary>
public sealed record LinearSvmOptions
{
    /// <summary>The defaults, and why they are what they are.</summary>
    public static class Defaults
    {
        /// <summary>PLACEHOLDER_SVM_C</summary>
        public const double C = 0.1;

        /// <summary>The squared hinge, as in scikit-learn's <c>LinearSVC</c>: its dual is better conditioned, so it converges in fewer passes.</summary>
        public const LinearSvmLoss Loss = LinearSvmLoss.SquaredHinge;

        /// <summary>liblinear's default stopping tolerance for its dual solvers (max − min projected gradient).</summary>
        public const double Tolerance = 0.1;

        /// <summary>PLACEHOLDER_SVM_PASSES</summary>
        public const int MaxPasses = 1000;
    }

    /// <summary>The weight of the summed losses against ½‖w‖²: larger C, weaker regularization. Must be positive.</summary>
    public double C { get; init; } = Defaults.C;

    public LinearSvmLoss Loss { get; init; } = Defaults.Loss;

    /// <summary>Stop a binary solve when the spread of projected gradients over a pass is at most this.</summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>Most passes over the data per binary problem.</summary>
    public int MaxPasses { get; init; } = Defaults.MaxPasses;

    /// <summary>Skip samples whose dual variable is likely to stay at a bound (Hsieh et al. 2008, section 3.2).</summary>
    public bool Shrinking { get; init; } = true;

    /// <summary>Deskew images (<see cref="Imaging.Deskew"/>) before training and prediction; stored in the model file.</summary>
    public bool Deskew { get; init; }

    /// <summary>How many binary problems run at once; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Seeds the order in which each binary problem visits the samples; a seed gives the same model for any thread count.</summary>
    public long Seed { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it and its value.</exception>
    public void Validate()
    {
        if (!(C > 0) || double.IsInfinity(C)) throw new ArgumentOutOfRangeException(nameof(C), C, "must be positive and finite");
        if (!Enum.IsDefined(Loss)) throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "must be Hinge or SquaredHinge");
        if (!(Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "must be positive");
        if (MaxPasses < 1) throw new ArgumentOutOfRangeException(nameof(MaxPasses), MaxPasses, "must be at least 1");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be non-negative (0 means one per core)");
    }
}
