namespace Digits.Persistence;

/// <summary>
/// A classifier that can be written to a model file. The model supplies what only it knows (its kind, architecture,
/// preprocessing and weights); the caller adds provenance (command, seed, metrics, training-data hash) in
/// <see cref="ModelMetadata"/>. Each model type also has a <c>static FromModelFile(ModelFile)</c> that reverses this,
/// with predictions bit-identical to the saved model's.
/// </summary>
public interface IPersistableModel : IClassifier
{
    /// <summary>One of <see cref="ModelKind"/>: <c>logreg</c>, <c>linear-svm</c>, <c>svm</c>, <c>cnn</c>, <c>ensemble</c>.</summary>
    string Kind { get; }

    /// <summary>The training recipe for CNNs (<c>cnn</c>, <c>cnn-fast</c>, <c>keras</c>); null for other kinds.</summary>
    string? Recipe { get; }

    /// <summary>Kind-specific JSON describing the model's shape (layers, kernel and its parameters, ...).</summary>
    string Architecture { get; }

    /// <summary>What is done to a normalized 28×28 image before the model sees it.</summary>
    Preprocessing Preprocessing { get; }

    /// <summary>The tensors to store: weights, support vectors, coefficients, running statistics.</summary>
    IEnumerable<TensorData> Tensors();

    /// <summary>The model's layers, top to bottom, for a Keras-style summary; null for models without layers.</summary>
    IReadOnlyList<ModelLayer>? Layers() => null;
}
