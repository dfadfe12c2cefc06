using Digits.Persistence.Onnx;

namespace Digits.Classical;

/// <summary>
/// Exports a <see cref="SoftmaxRegression"/> to ONNX: input <c>input</c> [N, 1, 28, 28] of pixels / 255 →
/// Flatten → Gemm(W, b, transB) → output <c>logits</c> [N, classes] and Softmax → output <c>probabilities</c>.
/// A calibrated model's probabilities are softmax(logits / T), as <see cref="CalibratedModel.Predict"/> gives them;
/// <c>logits</c> are the model's own.
/// </summary>
/// <remarks>
/// ONNX has no deskewing operator, so a model trained with <c>Deskew</c> expects its input already deskewed
/// (<see cref="Imaging.Deskew"/>); the graph itself is the same either way.
/// </remarks>
public static class SoftmaxRegressionOnnxExporter
{
    /// <summary>The serialized ONNX model.</summary>
    /// <param name="temperature">T from the model file's <c>calibration</c>; 1 for none.</param>
    public static byte[] Build(SoftmaxRegression model, double temperature = 1) => Graph(model, temperature).Build();

    /// <summary>Writes the ONNX model to <paramref name="path"/> atomically.</summary>
    /// <exception cref="DigitsException">The file cannot be written.</exception>
    public static void Save(SoftmaxRegression model, string path, double temperature = 1) => Graph(model, temperature).Save(path);

    private static OnnxGraphBuilder Graph(SoftmaxRegression model, double temperature)
    {
        ArgumentNullException.ThrowIfNull(model);
        int classes = model.Labels.Count;
        var g = new OnnxGraphBuilder("digits-logreg");
        string x = g.Flatten(g.Input("input", -1, 1, 28, 28));
        string w = g.Initializer("weight", model.Weights, classes, PixelFeatures.Count);
        string b = g.Initializer("bias", model.Bias, classes);
        string logits = g.Gemm(x, w, b, transB: true, name: "logits");
        g.Output(logits, "logits", -1, classes);
        g.Output(g.Softmax(Neural.CnnOnnxExporter.DivideByTemperature(g, logits, temperature), axis: 1), "probabilities", -1, classes);
        return g;
    }
}
