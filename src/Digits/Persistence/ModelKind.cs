namespace Digits.Persistence;

/// <summary>
/// The <c>kind</c> values of a model file, as listed in the contract (shared CONTRACT.md, "Names").
/// The kind says which loader owns the file's tensors and its <c>architecture</c> JSON.
/// </summary>
public static class ModelKind
{
    /// <summary>Multinomial logistic (softmax) regression.</summary>
    public const string LogReg = "logreg";

    public const string LinearSvm = "linear-svm";

    /// <summary>Kernel SVM (RBF or polynomial).</summary>
    public const string Svm = "svm";

    /// <summary>Convolutional network; metadata <c>recipe</c> says which one.</summary>
    public const string Cnn = "cnn";

    /// <summary>Several CNNs in one file, whose probabilities are averaged.</summary>
    public const string Ensemble = "ensemble";

    /// <summary>Every kind this build can read, in the contract's order.</summary>
    public static IReadOnlyList<string> All { get; } = [LogReg, LinearSvm, Svm, Cnn, Ensemble];

    public static bool IsKnown(string kind) => All.Contains(kind, StringComparer.Ordinal);
}
