using Digits.Classical;
using Digits.Neural;
using Digits.Persistence;

namespace Digits;

/// <summary>Opens any Digits model file as the classifier its <c>kind</c> names.</summary>
public static class ModelLoader
{
    /// <summary>Loads <paramref name="path"/>; errors name the file and what is wrong with it.</summary>
    public static IPersistableModel Load(string path) => FromModelFile(ModelFile.Load(path));

    /// <summary>
    /// Builds the classifier for an opened model file: a <see cref="CalibratedModel"/> around it when the metadata has
    /// a <c>calibration</c>, so every face predicts calibrated probabilities; the bare model otherwise.
    /// </summary>
    public static IPersistableModel FromModelFile(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        IPersistableModel model = Uncalibrated(file);
        return file.Metadata.Calibration is { } calibration ? new CalibratedModel(model, calibration.Temperature) : model;
    }

    /// <summary>The model as trained, ignoring any <c>calibration</c> in the metadata.</summary>
    public static IPersistableModel Uncalibrated(ModelFile file) => file.Metadata.Kind switch
    {
        ModelKind.Cnn => CnnClassifier.FromModelFile(file),
        ModelKind.Ensemble => EnsembleClassifier.FromModelFile(file),
        ModelKind.LogReg => SoftmaxRegression.FromModelFile(file),
        ModelKind.LinearSvm => LinearSvm.FromModelFile(file),
        ModelKind.Svm => KernelSvm.FromModelFile(file),
        _ => throw new DigitsException(file.Name, $"model kind '{file.Metadata.Kind}' cannot be loaded by this build"),
    };
}
