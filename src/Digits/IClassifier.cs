namespace Digits;

/// <summary>
/// What every model is to the rest of Digits, however it was trained: 28×28 byte images in (white ink on black, 0..255,
/// row-major, as MNIST and <c>MnistNormalizer</c> produce them), one probability per label out.
/// Preprocessing the model was trained with (such as deskewing) is applied inside <see cref="Predict"/>.
/// </summary>
public interface IClassifier
{
    /// <summary>A short name for tables and logs, e.g. <c>cnn</c> or <c>logreg</c>.</summary>
    string Name { get; }

    /// <summary>The class labels, in output order: <c>"0"</c>…<c>"9"</c> for a digit model.</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>
    /// Fills <paramref name="probabilities"/> (count × Labels.Count, each row summing to 1) for <paramref name="count"/>
    /// images laid end to end in <paramref name="images"/> (count × 784 bytes).
    /// </summary>
    void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities);
}
