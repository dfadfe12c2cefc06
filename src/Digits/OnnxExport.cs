using Digits.Classical;
using Digits.Neural;
using Digits.Persistence;

namespace Digits;

/// <summary>Writes any exportable model as ONNX, calibrated as it predicts: the one place that knows which kinds export.</summary>
public static class OnnxExport
{
    /// <summary>
    /// Writes <paramref name="model"/> (a CNN, an ensemble or softmax regression, calibrated or not) to
    /// <paramref name="path"/>; a <see cref="CalibratedModel"/>'s temperature goes into the graph.
    /// </summary>
    /// <param name="modelName">Names the model in the error for a kind that has no ONNX export.</param>
    /// <exception cref="DigitsException">A kind without ONNX export, or a file that cannot be written.</exception>
    public static void Save(IPersistableModel model, string path, string modelName)
    {
        ArgumentNullException.ThrowIfNull(model);
        double temperature = CalibratedModel.TemperatureOf(model);
        switch (CalibratedModel.Uncalibrated(model))
        {
            case CnnClassifier cnn:
                CnnOnnxExporter.Export(cnn, path, temperature);
                break;
            case EnsembleClassifier ensemble:
                CnnOnnxExporter.Export(ensemble, path, temperature);
                break;
            case SoftmaxRegression logreg:
                SoftmaxRegressionOnnxExporter.Save(logreg, path, temperature);
                break;
            default:
                throw new DigitsException(modelName, $"ONNX export is not available for {model.Kind} models");
        }
    }
}
