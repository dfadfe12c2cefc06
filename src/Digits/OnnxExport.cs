using Digits.Persistence;

namespace Digits;

/// <summary>Writes any model that exports itself (<see cref="IOnnxExportable"/>) as ONNX, calibrated as it predicts.</summary>
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
        if (CalibratedModel.Uncalibrated(model) is not IOnnxExportable exportable)
            throw new DigitsException(modelName, $"ONNX export is not available for {model.Kind} models");
        exportable.ExportOnnx(path, CalibratedModel.TemperatureOf(model));
    }
}
