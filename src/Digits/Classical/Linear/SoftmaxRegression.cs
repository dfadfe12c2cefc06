using System.Globalization;
using Digits.Persistence;

namespace Digits.Classical;

/// <summary>
/// Multinomial logistic (softmax) regression on pixels / 255: p(y | x) = softmax(W·x + b)[y], with W of shape
/// (10, 784) and b of 10. Trained by <see cref="SoftmaxRegressionTrainer"/>; saved as kind <c>logreg</c> with
/// tensors <c>weight</c> [10, 784] and <c>bias</c> [10]; exported to ONNX by <see cref="SoftmaxRegressionOnnxExporter"/>.
/// </summary>
public sealed class SoftmaxRegression : LinearModel, IOnnxExportable
{
    /// <param name="weights">classes × 784, row-major; kept, not copied.</param>
    /// <param name="bias">One per class; kept, not copied.</param>
    /// <param name="labels">Class labels in output order; <see cref="ModelMetadata.DigitLabels"/> when null.</param>
    public SoftmaxRegression(float[] weights, float[] bias, bool deskew, IReadOnlyList<string>? labels = null)
        : base(weights, bias, deskew, labels)
    {
    }

    public override string Kind => ModelKind.LogReg;

    public override string Architecture =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"inputs": {{PixelFeatures.Count}}, "classes": {{Labels.Count}}}""");

    public void ExportOnnx(string path, double temperature = 1) => SoftmaxRegressionOnnxExporter.Save(this, path, temperature);

    /// <summary>The logits W·x + b, (count, classes): what the ONNX export's <c>logits</c> output gives.</summary>
    public void Logits(ReadOnlySpan<byte> images, int count, Span<float> logits) => Scores(images, count, logits);

    /// <summary>The model a <c>logreg</c> file holds, predicting bit-identically to the one saved.</summary>
    /// <exception cref="DigitsException">The file is of another kind or its tensors are missing or misshapen.</exception>
    public static SoftmaxRegression FromModelFile(ModelFile file)
    {
        var (weights, bias) = ReadTensors(file, ModelKind.LogReg);
        return new SoftmaxRegression(weights, bias, file.Metadata.Preprocessing.Deskew, file.Metadata.Labels);
    }
}
