using Digits.Persistence;

namespace Digits.Classical;

/// <summary>
/// What softmax regression and the linear SVM share: class c scores W[c]·x + b[c] on x = pixels / 255 (deskewed first
/// when the model says so), probabilities are the softmax of the scores, and the file holds tensors <c>weight</c>
/// [classes, 784] and <c>bias</c> [classes]. The two differ only in how they are trained and what their scores mean.
/// </summary>
public abstract class LinearModel : IPersistableModel
{
    private readonly float[] weights;
    private readonly float[] bias;

    /// <param name="weights">classes × 784, row-major; kept, not copied.</param>
    /// <param name="bias">One per class; kept, not copied.</param>
    /// <param name="labels">Class labels in output order; <see cref="ModelMetadata.DigitLabels"/> when null.</param>
    protected LinearModel(float[] weights, float[] bias, bool deskew, IReadOnlyList<string>? labels)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        Labels = labels ?? ModelMetadata.DigitLabels;
        if (bias.Length != Labels.Count)
            throw new ArgumentException($"has {bias.Length} values for {Labels.Count} classes", nameof(bias));
        if (weights.Length != Labels.Count * PixelFeatures.Count)
            throw new ArgumentException($"has {weights.Length} values, {Labels.Count} classes × {PixelFeatures.Count} pixels need {Labels.Count * PixelFeatures.Count}", nameof(weights));
        this.weights = weights;
        this.bias = bias;
        Preprocessing = new Preprocessing(deskew);
    }

    public abstract string Kind { get; }

    public string Name => Kind;

    public IReadOnlyList<string> Labels { get; }

    public string? Recipe => null;

    public abstract string Architecture { get; }

    public Preprocessing Preprocessing { get; }

    /// <summary>W, (classes, 784) row-major: the score of class c is W[c]·x + b[c] with x = pixels / 255.</summary>
    public ReadOnlySpan<float> Weights => weights;

    public ReadOnlySpan<float> Bias => bias;

    /// <summary>softmax of the scores W·x + b.</summary>
    public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities) =>
        LinearScores.Probabilities(images, count, Preprocessing.Deskew, weights, bias, Labels.Count, probabilities);

    public IEnumerable<TensorData> Tensors() =>
    [
        TensorData.FromFloats("weight", weights, Labels.Count, PixelFeatures.Count),
        TensorData.FromFloats("bias", bias, Labels.Count),
    ];

    /// <summary>The scores W·x + b, (count, classes).</summary>
    protected void Scores(ReadOnlySpan<byte> images, int count, Span<float> scores) =>
        LinearScores.Compute(images, count, Preprocessing.Deskew, weights, bias, Labels.Count, scores);

    /// <summary>The weight and bias tensors of a file of <paramref name="kind"/>.</summary>
    /// <exception cref="DigitsException">The file is of another kind or its tensors are missing or misshapen.</exception>
    protected static (float[] Weights, float[] Bias) ReadTensors(ModelFile file, string kind)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Metadata.Kind != kind)
            throw new DigitsException(file.Name, $"is a '{file.Metadata.Kind}' model, not '{kind}'");
        int classes = file.Metadata.Labels.Count;
        return (file.RequireFloats("weight", classes, PixelFeatures.Count), file.RequireFloats("bias", classes));
    }
}
