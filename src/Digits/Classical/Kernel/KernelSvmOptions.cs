namespace Digits.Classical;

/// <summary>
/// How <see cref="KernelSvmTrainer"/> fits a one-vs-one C-SVC. Features are pixels/255, so γ is in units of
/// 1/(pixels/255)²; the defaults (C = 10, γ = 0.025) were chosen on a validation split of MNIST.
/// </summary>
public sealed record KernelSvmOptions
{
    /// <summary>The defaults, in one place, with the reasons for them.</summary>
    public static class Defaults
    {
        /// <summary>
        /// Box constraint, chosen with <see cref="Gamma"/> on a 10% stratified validation split of MNIST's 60k
        /// (seed 1, trained on the other 54k): C = 10, γ = 0.025 tied for the best validation accuracy (98.48%) with
        /// C = 10 and C = 5 at γ = 0.035, and fitted fastest (48 s against 90 s, both under load), so it is the
        /// default. The reference setting C = 5, γ = 0.05 (scikit-learn's 98.37%) is two flags away. See
        /// docs/benchmarks.md.
        /// </summary>
        public const double C = 10.0;

        public const SvmKernelType Kernel = SvmKernelType.Rbf;

        /// <summary>For RBF on pixels/255: mean squared distance between MNIST digits is about 100, so γ·d² ≈ 2.5; see <see cref="C"/>.</summary>
        public const double Gamma = 0.025;

        /// <summary>Polynomial degree; LeCun's table lists a degree-4 polynomial SVM.</summary>
        public const int Degree = 4;

        /// <summary>Polynomial constant term; 1 keeps lower-order monomials in the feature space.</summary>
        public const double Coef0 = 1.0;

        /// <summary>Kernel-row cache, in bytes, shared out between the pairs that run at once: 1 GiB.</summary>
        public const long CacheBytes = 1L << 30;

        /// <summary>Stopping tolerance ε on the maximal KKT violation, libsvm's default.</summary>
        public const double Tolerance = 1e-3;

        public const bool Shrinking = true;

        /// <summary>
        /// Kernel rows per GEMM on a cache miss. On 10k MNIST images one row at a time took 6× longer than blocks of
        /// 64 (a single row is a memory-bound matrix-vector product); 32 computes 8% fewer rows but used more CPU
        /// time, and 128 computes 17% more rows for no gain.
        /// </summary>
        public const int BlockRows = 64;
    }

    /// <summary>The upper bound C on every dual variable; larger C fits the training data harder.</summary>
    public double C { get; init; } = Defaults.C;

    public SvmKernelType Kernel { get; init; } = Defaults.Kernel;

    /// <summary>Kernel scale γ, for both kernels.</summary>
    public double Gamma { get; init; } = Defaults.Gamma;

    /// <summary>Polynomial kernel degree (1–10); ignored by RBF.</summary>
    public int Degree { get; init; } = Defaults.Degree;

    /// <summary>Polynomial kernel constant term; ignored by RBF.</summary>
    public double Coef0 { get; init; } = Defaults.Coef0;

    /// <summary>Bytes of kernel rows kept in memory across all pairs solved at once.</summary>
    public long CacheBytes { get; init; } = Defaults.CacheBytes;

    /// <summary>SMO stops when the maximal violation of the KKT conditions is below this.</summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    public bool Shrinking { get; init; } = Defaults.Shrinking;

    /// <summary>Deskew images (moment-based shear correction) before training and prediction; stored in the model.</summary>
    public bool Deskew { get; init; }

    /// <summary>
    /// Virtual support vectors (Schölkopf, Burges &amp; Vapnik 1996; DeCoste &amp; Schölkopf 2002): after a first fit,
    /// every support vector is copied four times, moved one pixel up, down, left and right, and the machine is fitted
    /// again on the support vectors plus their copies. It teaches the SVM that a digit moved by a pixel is the same
    /// digit, for about one more fit's time. The translated copies are made after deskewing.
    /// </summary>
    public bool VirtualSupportVectors { get; init; }

    /// <summary>How many one-vs-one pairs are solved at once; null: the worker pool's setting (all cores unless <c>--threads</c> says otherwise), as for every kind. Results do not depend on it.</summary>
    public int? Threads { get; init; }

    /// <summary>Kernel rows computed per GEMM when SMO misses the cache.</summary>
    public int BlockRows { get; init; } = Defaults.BlockRows;

    /// <summary>
    /// Where each pair's Platt sigmoid is fitted. 0 (the default) fits it to the training decision values: no extra
    /// cost, but training points mostly sit at |f| ≥ 1, so probabilities come out somewhat overconfident. k ≥ 2 fits
    /// it to k-fold cross-validated decision values as libsvm does (its <c>-b 1</c> uses 5), at the cost of about k
    /// more fits. Either way class probabilities come from pairwise coupling and sum to 1.
    /// </summary>
    public int ProbabilityFolds { get; init; }

    /// <summary>Seeds the cross-validation shuffles of <see cref="ProbabilityFolds"/>; nothing else is random.</summary>
    public ulong Seed { get; init; }

    /// <summary>The kernel these options describe.</summary>
    public SvmKernel CreateKernel() => Kernel == SvmKernelType.Rbf
        ? new RbfKernel(Gamma)
        : new PolynomialKernel(Gamma, Coef0, Degree);

    /// <summary>Checks every option; the message names the option and its value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (!(C > 0) || double.IsInfinity(C))
            throw new ArgumentOutOfRangeException(nameof(C), C, "C must be positive and finite");
        if (!Enum.IsDefined(Kernel))
            throw new ArgumentOutOfRangeException(nameof(Kernel), Kernel, "Kernel must be Rbf or Polynomial");
        if (!(Gamma > 0) || double.IsInfinity(Gamma))
            throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "Gamma must be positive and finite");
        if (Degree is < 1 or > 10)
            throw new ArgumentOutOfRangeException(nameof(Degree), Degree, "Degree must be 1 to 10");
        if (!double.IsFinite(Coef0))
            throw new ArgumentOutOfRangeException(nameof(Coef0), Coef0, "Coef0 must be finite");
        if (CacheBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(CacheBytes), CacheBytes, "CacheBytes must not be negative");
        if (!(Tolerance > 0) || double.IsInfinity(Tolerance))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "Tolerance must be positive and finite");
        if (Threads is < 1)
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1");
        if (ProbabilityFolds is < 0 or 1 or > 10)
            throw new ArgumentOutOfRangeException(nameof(ProbabilityFolds), ProbabilityFolds, "ProbabilityFolds must be 0 (training decision values) or 2 to 10");
        if (BlockRows < 1)
            throw new ArgumentOutOfRangeException(nameof(BlockRows), BlockRows, "BlockRows must be at least 1");
    }
}
