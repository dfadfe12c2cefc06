using Digits.Neural;
using Digits.Neural.Training;
using Digits.Persistence;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Digits.Tests.Neural.Training;

public class CnnOnnxExporterTests
{
    private const int Count = 8;

    private static float[] Images()
    {
        var images = new float[Count * 784];
        Digits.Imaging.ModelInput.ToUnitFloats(TestData.Mnist.Test.Pixels.AsSpan(0, Count * 784), images);
        return images;
    }

    private static Dictionary<string, float[]> RunOnnx(string path, float[] images)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        var input = new DenseTensor<float>(images, [Count, 1, 28, 28]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(CnnOnnxExporter.InputName, input)]);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= tolerance, $"max abs difference {worst} > {tolerance}");
    }

    /// <summary>Recipe, whether inputs are standardized, and the temperature of the model file's calibration (1 for none).</summary>
    public static TheoryData<string, bool, double> Models => new()
    {
        { "cnn", false, 1 },
        { "cnn-fast", true, 1 },
        { "keras", false, 1 },
        { "cnn-fast", true, 2.3 },
        { "keras", false, 0.7 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Onnx_runtime_computes_the_same_logits_and_calibrated_probabilities(string recipe, bool standardize, double temperature)
    {
        using var folder = new TempFolder();
        CnnClassifier bare = CnnClassifierTests.Random(Recipes.Get(recipe), 11, standardize ? new InputStandardization(0.1307f, 0.3081f) : null);
        IPersistableModel model = temperature == 1 ? bare : new CalibratedModel(bare, temperature);
        string path = folder.File("model.onnx");
        OnnxExport.Save(model, path, "model");

        float[] images = Images();
        var expected = new float[Count * 10];
        bare.Logits(images, Count, expected);
        Dictionary<string, float[]> outputs = RunOnnx(path, images);

        AssertClose(expected, outputs[CnnOnnxExporter.LogitsName], 1e-4f);
        var probabilities = new float[Count * 10];
        model.Predict(TestData.Mnist.Test.Pixels.AsSpan(0, Count * 784), Count, probabilities);
        AssertClose(probabilities, outputs[CnnOnnxExporter.ProbabilitiesName], 1e-5f);
    }

    [Fact]
    public void Global_average_pooling_strided_padded_convolutions_and_flat_batchnorm_export_too()
    {
        using var folder = new TempFolder();
        var recipe = new CnnRecipe("cnn", [
            new Conv2dSpec(8, 3, Stride: 2, Padding: 1), new BatchNormSpec(), new ReluSpec(),
            new AvgPool2dSpec(2), new Conv2dSpec(16, 3, Padding: 1), new GlobalAvgPoolSpec(),
            new LinearSpec(12), new BatchNormSpec(), new ReluSpec(), new LinearSpec(10),
        ], new CnnTrainingOptions());
        CnnClassifier model = CnnClassifierTests.Random(recipe, 5);
        string path = folder.File("gap.onnx");
        CnnOnnxExporter.Export(model, path);

        float[] images = Images();
        var expected = new float[Count * 10];
        model.Logits(images, Count, expected);
        AssertClose(expected, RunOnnx(path, images)[CnnOnnxExporter.LogitsName], 1e-4f);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.8)]
    public void An_exported_ensemble_outputs_the_mean_probabilities_calibrated_as_the_model_predicts(double temperature)
    {
        using var folder = new TempFolder();
        var members = new EnsembleClassifier([CnnClassifierTests.Random(TinyRecipe.Create(), 1), CnnClassifierTests.Random(TinyRecipe.Create(), 2)]);
        IPersistableModel ensemble = temperature == 1 ? members : new CalibratedModel(members, temperature);
        string path = folder.File("ensemble.onnx");
        OnnxExport.Save(ensemble, path, "ensemble");

        var expected = new float[Count * 10];
        ensemble.Predict(TestData.Mnist.Test.Pixels.AsSpan(0, Count * 784), Count, expected);
        AssertClose(expected, RunOnnx(path, Images())[CnnOnnxExporter.ProbabilitiesName], 1e-5f);
    }
}
