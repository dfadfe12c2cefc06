using Digits.Classical;
using Digits.Neural;
using Digits.Persistence;

namespace Digits;

/// <summary>Opens any Digits model file as the classifier its <c>kind</c> names.</summary>
public static class ModelLoader
{
    /// <summary>Loads <paramref name="path"/>; errors name the file and what is wrong with it.</summary>
    public static IPersistableModel Load(string path) => FromModelFile(ModelFile.Load(path));

    /// <summary>Builds the classifier for an opened model file.</summary>
    public static IPersistableModel FromModelFile(ModelFile file) => file.Metadata.Kind switch
    {
        ModelKind.Cnn => CnnClassifier.FromModelFile(file),
        ModelKind.Ensemble => EnsembleClassifier.FromModelFile(file),
        ModelKind.LogReg => SoftmaxRegression.FromModelFile(file),
        ModelKind.LinearSvm => LinearSvm.FromModelFile(file),
        ModelKind.Svm => KernelSvm.FromModelFile(file),
        _ => throw new DigitsException(file.Name, $"model kind '{file.Metadata.Kind}' cannot be loaded by this build"),
    };
}
