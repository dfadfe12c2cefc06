namespace Digits;

/// <summary>One row of a model's Keras-style summary (<c>digits model info</c>): a layer, its output shape per image, and
/// its trainable parameters (for an ensemble, summed over the members).</summary>
public sealed record ModelLayer(string Name, IReadOnlyList<int> OutputShape, long Parameters);
