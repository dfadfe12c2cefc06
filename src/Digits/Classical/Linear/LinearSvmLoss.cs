namespace Digits.Classical;

/// <summary>The loss on a sample's margin m = y·(w·x + b) that <see cref="LinearSvm"/> penalizes with weight C.</summary>
public enum LinearSvmLoss
{
    /// <summary>max(0, 1 − m): the classic SVM (L1-loss); the dual has the box 0 ≤ α ≤ C.</summary>
    Hinge,

    /// <summary>max(0, 1 − m)²: L2-loss, smooth, scikit-learn's <c>LinearSVC</c> default; the dual has α ≥ 0 and a diagonal 1/(2C).</summary>
    SquaredHinge,
}
