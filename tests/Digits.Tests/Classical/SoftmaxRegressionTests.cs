using Digits.Classical;
using Digits.Imaging;
using Digits.Persistence;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static Digits.Tests.Classical.LinearModelFixture;

namespace Digits.Tests.Classical;

public class SoftmaxRegressionTests
{
    private static readonly Lazy<SoftmaxRegression> Fitted = new(() =>
        new SoftmaxRegressionTrainer(new SoftmaxRegressionOptions { C = 0.1 }).Fit(Train));

    [Fact]
    public void Objective_gradient_matches_central_differences()
    {
        const int n = 37, d = 6, k = 4;
        var rng = new Rng(5);
        float[] features = new float[n * d];
        byte[] labels = new byte[n];
        for (int i = 0; i < features.Length; i++)
            features[i] = rng.NextFloat();
        for (int i = 0; i < n; i++)
            labels[i] = (byte)rng.NextInt(k);
        var objective = new SoftmaxRegressionObjective(features, labels, n, d, k, c: 0.5);
        float[] theta = new float[objective.ParameterCount];
        for (int i = 0; i < theta.Length; i++)
            theta[i] = (float)rng.NextGaussian();
        float[] gradient = new float[theta.Length], scratch = new float[theta.Length];

        objective.Evaluate(theta, gradient);

        const float h = 1e-2f;
        for (int j = 0; j < theta.Length; j++)
        {
            float original = theta[j];
            theta[j] = original + h;
            double plus = objective.Evaluate(theta, scratch);
            theta[j] = original - h;
            double minus = objective.Evaluate(theta, scratch);
            theta[j] = original;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 2e-3 * Math.Max(1e-2, Math.Abs(numeric)),
                $"parameter {j}: analytic {gradient[j]:g6}, numeric {numeric:g6}");
        }
    }

    [Fact]
    public void Fit_on_2000_images_classifies_unseen_digits_well()
    {
        double accuracy = Accuracy(Fitted.Value, Test);

        Assert.InRange(accuracy, 0.85, 1.0);
    }

    [Fact]
    public void Probabilities_sum_to_one()
    {
        float[] p = Predict(Fitted.Value, Test.Take(50));

        for (int i = 0; i < 50; i++)
            Assert.Equal(1f, p.AsSpan(i * 10, 10).ToArray().Sum(), 1e-5f);
    }

    [Fact]
    public void Save_and_load_give_bit_identical_probabilities()
    {
        using var folder = new TempFolder();
        var file = SaveAndLoad(Fitted.Value, folder, Train);

        var loaded = SoftmaxRegression.FromModelFile(file);

        Assert.Equal(ModelKind.LogReg, file.Metadata.Kind);
        AssertBitIdentical(Predict(Fitted.Value, Test), Predict(loaded, Test));
    }

    [Fact]
    public void Deskew_option_is_stored_in_the_file_and_applied_when_predicting()
    {
        var small = Train.Take(500);
        var model = new SoftmaxRegressionTrainer(new SoftmaxRegressionOptions { Deskew = true, MaxIterations = 20 }).Fit(small);
        using var folder = new TempFolder();
        var file = SaveAndLoad(model, folder, small);
        var loaded = SoftmaxRegression.FromModelFile(file);
        var images = Test.Take(100);
        byte[] deskewed = new byte[images.Pixels.Length];
        Deskew.ApplyAll(images.Pixels, deskewed, images.Count);
        var sameWeightsNoDeskew = new SoftmaxRegression(model.Weights.ToArray(), model.Bias.ToArray(), deskew: false);
        float[] expected = new float[images.Count * 10], actual = new float[images.Count * 10];

        sameWeightsNoDeskew.Predict(deskewed, images.Count, expected);
        loaded.Predict(images.Pixels, images.Count, actual);

        Assert.True(file.Metadata.Preprocessing.Deskew);
        Assert.True(loaded.Preprocessing.Deskew);
        AssertBitIdentical(expected, actual);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.7)]
    public void Onnx_export_gives_the_same_logits_and_calibrated_probabilities_in_onnx_runtime(double temperature)
    {
        var model = Fitted.Value;
        var images = Test.Take(200);
        float[] expected = new float[images.Count * 10];
        model.Logits(images.Pixels, images.Count, expected);
        float[] input = new float[images.Pixels.Length];
        Digits.Imaging.ModelInput.ToUnitFloats(images.Pixels, input);

        using var session = new InferenceSession(SoftmaxRegressionOnnxExporter.Build(model, temperature));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input, [images.Count, 1, 28, 28]))]);
        float[] logits = results.Single(r => r.Name == "logits").AsTensor<float>().ToArray();
        float[] probabilities = results.Single(r => r.Name == "probabilities").AsTensor<float>().ToArray();

        float worst = 0;
        for (int i = 0; i < expected.Length; i++)
            worst = Math.Max(worst, Math.Abs(expected[i] - logits[i]));
        Assert.True(worst <= 1e-4f, $"max abs logit difference {worst:g3}");
        float[] calibrated = Predict(new CalibratedModel(model, temperature), images);
        worst = 0;
        for (int i = 0; i < calibrated.Length; i++)
            worst = Math.Max(worst, Math.Abs(calibrated[i] - probabilities[i]));
        Assert.True(worst <= 1e-5f, $"max abs probability difference {worst:g3}");
    }

    [Fact]
    public void Loading_a_file_of_another_kind_names_the_file_and_both_kinds()
    {
        var svm = new LinearSvm(new float[7840], new float[10], deskew: false, LinearSvmMulticlass.CrammerSinger, loss: null);
        using var folder = new TempFolder();
        var file = SaveAndLoad(svm, folder, Train);

        var error = Assert.Throws<DigitsException>(() => SoftmaxRegression.FromModelFile(file));

        Assert.Contains("linear-svm", error.Message);
        Assert.Contains("logreg", error.Message);
    }

    [Theory]
    [InlineData("C", 0.0)]
    [InlineData("C", -1.0)]
    [InlineData("MaxIterations", 0.0)]
    [InlineData("Tolerance", -1e-3)]
    [InlineData("Threads", -1.0)]
    public void Options_out_of_range_are_named_with_their_value(string option, double value)
    {
        var options = option switch
        {
            "C" => new SoftmaxRegressionOptions { C = value },
            "MaxIterations" => new SoftmaxRegressionOptions { MaxIterations = (int)value },
            "Tolerance" => new SoftmaxRegressionOptions { Tolerance = value },
            _ => new SoftmaxRegressionOptions { Threads = (int)value },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxRegressionTrainer(options));

        Assert.Equal(option, error.ParamName);
        Assert.Equal(value, Convert.ToDouble(error.ActualValue));
    }
}
