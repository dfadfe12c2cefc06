using System.Globalization;
using Digits.Persistence;

namespace Digits.Classical;

/// <summary>
/// Multinomial logistic (softmax) regression on pixels / 255: p(y | x) = softmax(W·x + b)[y], with W of shape
/// (10, 784) and b of 10. Trained by <see cref="SoftmaxRegressionTrainer"/>; saved as kind <c>logreg</c> with
/// tensors <c>weight</c> [10, 784] and <c>bias</c> [10]; exported to ONNX by <see cref="SoftmaxRegressionOnnxExporter"/>.
/// </summary>
public sealed class SoftmaxRegression : IPersistableModel, IOnnxExportable
{
    public void ExportOnnx(string path, double temperature = 1) => SoftmaxRegressionOnnxExporter.Save(this, path, temperature);

    private readonly float[] weights;
    private readonly float[] bias;

    /// <param name="weights">classes × 784, row-major; kept, not copied.</param>
    /// <param name="bias">One per class; kept, not copied.</param>
    /// <param name="labels">Class labels in output order; <see cref="ModelMetadata.DigitLabels"/> when null.</param>
    public SoftmaxRegression(float[] weights, float[] bias, bool deskew, IReadOnlyList<string>? labels = null)
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

    public string Name => ModelKind.LogReg;

    public IReadOnlyList<string> Labels { get; }

    public string Kind => ModelKind.LogReg;

    public string? Recipe => null;

    public string Architecture =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"inputs": {{PixelFeatures.Count}}, "classes": {{Labels.Count}}}""");

    public Preprocessing Preprocessing { get; }

    /// <summary>W, (classes, 784) row-major: the logit of class c is W[c]·x + b[c] with x = pixels / 255.</summary>
    public ReadOnlySpan<float> Weights => weights;

    public ReadOnlySpan<float> Bias => bias;

    public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities) =>
        LinearScores.Probabilities(images, count, Preprocessing.Deskew, weights, bias, Labels.Count, probabilities);

    /// <summary>The logits W·x + b, (count, classes): what the ONNX export's <c>logits</c> output gives.</summary>
    public void Logits(ReadOnlySpan<byte> images, int count, Span<float> logits) =>
        LinearScores.Compute(images, count, Preprocessing.Deskew, weights, bias, Labels.Count, logits);

    public IEnumerable<TensorData> Tensors() =>
    [
        TensorData.FromFloats("weight", weights, Labels.Count, PixelFeatures.Count),
        TensorData.FromFloats("bias", bias, Labels.Count),
    ];

    /// <summary>The model a <c>logreg</c> file holds, predicting bit-identically to the one saved.</summary>
    /// <exception cref="DigitsException">The file is of another kind or its tensors are missing or misshapen.</exception>
    public static SoftmaxRegression FromModelFile(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Metadata.Kind != ModelKind.LogReg)
            throw new DigitsException(file.Name, $"is a '{file.Metadata.Kind}' model, not '{ModelKind.LogReg}'");
        int classes = file.Metadata.Labels.Count;
        return new SoftmaxRegression(
            file.RequireFloats("weight", classes, PixelFeatures.Count), file.RequireFloats("bias", classes),
            file.Metadata.Preprocessing.Deskew, file.Metadata.Labels);
    }
}
