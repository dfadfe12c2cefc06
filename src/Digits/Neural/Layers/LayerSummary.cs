namespace Digits.Neural;

/// <summary>One row of a Keras-style model summary: layer name (kind and index), output shape per sample and trainable parameters.</summary>
public sealed record LayerSummary(string Name, SampleShape OutputShape, int Parameters);
