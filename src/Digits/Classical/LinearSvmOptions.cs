namespace Digits.Classical;

/// <summary>
/// Settings of <see cref="LinearSvmTrainer"/>: L2-regularized linear SVMs, one-vs-rest (each solved by
/// <see cref="DualCoordinateDescent"/>) or Crammer–Singer (<see cref="CrammerSingerSolver"/>). C, the loss and the
/// tolerance mean what they mean in liblinear and in scikit-learn's <c>LinearSVC</c> (whose <c>dual=True</c> solvers
/// these are).
/// </summary>
public sealed record LinearSvmOptions
{
    /// <summary>The defaults, and why they are what they are.</summary>
    public static class Defaults
    {
        /// <summary>
        /// C = 0.03, chosen on a validation split, never on the test set: trained on the first 50,000 MNIST training
        /// images and scored on the last 10,000, C = 0.01, 0.03, 0.1 and 0.3 gave 92.07%, 92.19%, 92.14% and 92.17%
        /// (tolerance 0.1). The last three tie within five images; 0.03 is the cheapest of them, needing about a third
        /// of the passes of 0.1, because the squared hinge's dual diagonal 1/(2C) makes its problem better conditioned.
        /// (scikit-learn's anchor is <c>LinearSVC(C=0.1)</c>.)
        /// </summary>
        public const double C = 0.03;

        /// <summary>The squared hinge, as in scikit-learn's <c>LinearSVC</c>: its dual is better conditioned, so it converges in fewer passes.</summary>
        public const LinearSvmLoss Loss = LinearSvmLoss.SquaredHinge;

        /// <summary>
        /// 0.5, against liblinear's 0.1: on the validation split above, 0.1 and 1.0 scored the same (92.19% and 92.15%
        /// at C = 0.03; 92.14% and 92.19% at C = 0.1), and 0.5 needs about a third fewer passes than 0.1.
        /// </summary>
        public const double Tolerance = 0.5;

        /// <summary>liblinear's and scikit-learn's iteration cap; MNIST's problems converge in 20–60 passes.</summary>
        public const int MaxPasses = 1000;
    }

    /// <summary>The weight of the summed losses against ½‖w‖²: larger C, weaker regularization. Must be positive.</summary>
    public double C { get; init; } = Defaults.C;

    /// <summary>The loss of each one-vs-rest problem; Crammer–Singer has its own multi-class hinge.</summary>
    public LinearSvmLoss Loss { get; init; } = Defaults.Loss;

    /// <summary>One-vs-rest (the default: parallel and the faster here) or Crammer–Singer.</summary>
    public LinearSvmMulticlass Multiclass { get; init; } = LinearSvmMulticlass.OneVsRest;

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
        if (!Enum.IsDefined(Multiclass)) throw new ArgumentOutOfRangeException(nameof(Multiclass), Multiclass, "must be OneVsRest or CrammerSinger");
        if (!(Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "must be positive");
        if (MaxPasses < 1) throw new ArgumentOutOfRangeException(nameof(MaxPasses), MaxPasses, "must be at least 1");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be non-negative (0 means one per core)");
    }
}
