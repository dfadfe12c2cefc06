namespace Digits.Persistence;

/// <summary>A model that can write itself as an ONNX graph (opset 13; input <c>[N,1,28,28]</c> floats in 0..1).</summary>
public interface IOnnxExportable
{
    /// <summary>Writes the graph to <paramref name="path"/>, its probabilities divided by <paramref name="temperature"/>
    /// in the logits (1: uncalibrated), as the model predicts once calibrated.</summary>
    void ExportOnnx(string path, double temperature = 1);
}
