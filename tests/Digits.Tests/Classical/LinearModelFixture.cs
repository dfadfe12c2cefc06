using Digits.Data;
using Digits.Persistence;

namespace Digits.Tests.Classical;

/// <summary>Small MNIST subsets and model-file plumbing shared by the linear-model tests.</summary>
internal static class LinearModelFixture
{
    /// <summary>The first 2000 training images: enough for 85–90% accuracy, small enough to fit in well under a second.</summary>
    public static LabeledImages Train { get; } = TestData.Mnist.Train.Take(2000);

    /// <summary>The first 1000 test images.</summary>
    public static LabeledImages Test { get; } = TestData.Mnist.Test.Take(1000);

    public static float[] Predict(IClassifier model, LabeledImages data)
    {
        float[] probabilities = new float[data.Count * model.Labels.Count];
        model.Predict(data.Pixels, data.Count, probabilities);
        return probabilities;
    }

    public static double Accuracy(IClassifier model, LabeledImages data)
    {
        float[] p = Predict(model, data);
        int k = model.Labels.Count, correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p.AsSpan(i * k, k)) == data.Labels[i])
                correct++;
        }
        return (double)correct / data.Count;
    }

    /// <summary>Saves <paramref name="model"/> with test metadata and loads the file back.</summary>
    public static ModelFile SaveAndLoad(IPersistableModel model, TempFolder folder, LabeledImages trainedOn)
    {
        string path = folder.File(model.Kind + ".safetensors");
        var metadata = new ModelMetadata
        {
            Kind = model.Kind,
            Labels = model.Labels,
            Architecture = model.Architecture,
            Preprocessing = model.Preprocessing,
            Command = "test",
            Seed = 0,
            Metrics = "{}",
            TrainDataSha256 = trainedOn.ContentSha256(),
        };
        ModelFile.Save(path, metadata, model.Tensors());
        return ModelFile.Load(path);
    }

    /// <summary>Asserts two float arrays are equal bit for bit.</summary>
    public static void AssertBitIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"element {i}: {expected[i]:R} before saving, {actual[i]:R} after loading");
        }
    }
}
