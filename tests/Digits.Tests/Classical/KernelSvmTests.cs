using Digits.Classical;
using Digits.Data;
using Digits.Persistence;

namespace Digits.Tests.Classical;

/// <summary>Two small MNIST models (plain and deskewed), fitted once for all tests in <see cref="KernelSvmTests"/>.</summary>
public sealed class SmallMnistSvms
{
    public const int TrainCount = 2000;
    public const int TestCount = 1000;

    /// <summary>The deskewed model only has to show that the option is applied and stored, so it trains on fewer.</summary>
    public const int DeskewedTrainCount = 1000;

    /// <summary>Below the full-set γ of 0.05: with a few thousand images, a wider kernel generalizes better.</summary>
    public static readonly KernelSvmOptions Options = new() { Gamma = 0.02 };

    public SmallMnistSvms()
    {
        var mnist = TestData.Mnist;
        Train = mnist.Train.Take(TrainCount);
        Test = mnist.Test.Take(TestCount);
        Plain = new KernelSvmTrainer(Options).Fit(Train);
        Deskewed = new KernelSvmTrainer(Options with { Deskew = true }).Fit(Train.Take(DeskewedTrainCount));
    }

    public LabeledImages Train { get; }

    public LabeledImages Test { get; }

    public KernelSvm Plain { get; }

    public KernelSvm Deskewed { get; }
}

public class KernelSvmTests(SmallMnistSvms models) : IClassFixture<SmallMnistSvms>
{
    [Fact]
    public void Rbf_svm_on_two_thousand_mnist_digits_beats_ninety_percent()
    {
        float[] probabilities = Predict(models.Plain);

        double accuracy = Accuracy(probabilities);

        Assert.True(accuracy > 0.90, $"test accuracy {accuracy:F3} on {SmallMnistSvms.TestCount} images");
        Assert.Equal(45, models.Plain.PairCount);
        Assert.InRange(models.Plain.SupportVectorCount, 100, SmallMnistSvms.TrainCount);
    }

    [Fact]
    public void Probabilities_sum_to_one_and_their_argmax_agrees_with_voting()
    {
        float[] probabilities = Predict(models.Plain);
        var votes = new int[SmallMnistSvms.TestCount];
        models.Plain.PredictVotes(models.Test.Pixels, SmallMnistSvms.TestCount, votes);

        int agree = 0;
        for (int i = 0; i < SmallMnistSvms.TestCount; i++)
        {
            var row = probabilities.AsSpan(i * 10, 10);
            float sum = 0;
            foreach (float p in row)
            {
                Assert.InRange(p, 0f, 1f);
                sum += p;
            }
            Assert.Equal(1f, sum, 1e-5f);
            if (ArgMax(row) == votes[i])
                agree++;
        }
        Assert.True(agree >= 0.97 * SmallMnistSvms.TestCount, $"argmax and vote agree on {agree} of {SmallMnistSvms.TestCount}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Saved_and_loaded_model_predicts_bit_identical_probabilities(bool deskew)
    {
        var model = deskew ? models.Deskewed : models.Plain;
        using var folder = new TempFolder();
        string path = folder.File("svm.safetensors");

        ModelFile.Save(path, Metadata(model), model.Tensors());
        var loaded = KernelSvm.FromModelFile(ModelFile.Load(path));

        Assert.Equal(deskew, loaded.Preprocessing.Deskew);
        Assert.Equal(model.Architecture, loaded.Architecture);
        Assert.Equal(model.SupportVectorCount, loaded.SupportVectorCount);
        Assert.Equal(Predict(model).Select(BitConverter.SingleToInt32Bits), Predict(loaded).Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Deskewed_model_stores_the_option_and_applies_it_when_predicting()
    {
        Assert.True(models.Deskewed.Preprocessing.Deskew);
        Assert.False(models.Plain.Preprocessing.Deskew);

        double accuracy = Accuracy(Predict(models.Deskewed));

        Assert.True(accuracy > 0.85, $"deskewed test accuracy {accuracy:F3} after {SmallMnistSvms.DeskewedTrainCount} images");
        Assert.NotEqual(Predict(models.Plain), Predict(models.Deskewed));
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var small = models.Train.Take(300);
        var one = new KernelSvmTrainer(SmallMnistSvms.Options with { Threads = 1 }).Fit(small);
        var two = new KernelSvmTrainer(SmallMnistSvms.Options with { Threads = 2 }).Fit(small);

        Assert.Equal(Predict(one).Select(BitConverter.SingleToInt32Bits), Predict(two).Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Cross_validated_sigmoids_give_probabilities_that_sum_to_one_and_follow_the_votes()
    {
        var small = models.Train.Take(500);
        var model = new KernelSvmTrainer(SmallMnistSvms.Options with { ProbabilityFolds = 3, Seed = 7 }).Fit(small);
        float[] probabilities = Predict(model);
        var votes = new int[SmallMnistSvms.TestCount];
        model.PredictVotes(models.Test.Pixels, SmallMnistSvms.TestCount, votes);

        int agree = 0;
        for (int i = 0; i < SmallMnistSvms.TestCount; i++)
        {
            var row = probabilities.AsSpan(i * 10, 10);
            Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Sum(row), 1e-5f);
            if (ArgMax(row) == votes[i])
                agree++;
        }
        Assert.True(agree >= 0.95 * SmallMnistSvms.TestCount, $"argmax and vote agree on {agree} of {SmallMnistSvms.TestCount}");
    }

    [Fact]
    public void Architecture_names_the_kernel_and_its_parameters()
    {
        Assert.Contains("\"kernel\": \"rbf\"", models.Plain.Architecture);
        Assert.Contains("\"gamma\": 0.02", models.Plain.Architecture);
        Assert.Equal(ModelKind.Svm, models.Plain.Kind);
        Assert.Null(models.Plain.Recipe);
    }

    [Fact]
    public void Loading_another_kind_of_model_is_refused()
    {
        using var folder = new TempFolder();
        string path = folder.File("cnn.safetensors");
        ModelFile.Save(path, Metadata(models.Plain) with { Kind = ModelKind.Cnn, Recipe = "cnn" }, models.Plain.Tensors());

        var error = Assert.Throws<DigitsException>(() => KernelSvm.FromModelFile(ModelFile.Load(path)));

        Assert.Contains("'cnn'", error.Problem);
    }

    [Fact]
    public void Loading_a_file_without_intercepts_names_the_missing_tensor()
    {
        using var folder = new TempFolder();
        string path = folder.File("broken.safetensors");
        ModelFile.Save(path, Metadata(models.Plain), models.Plain.Tensors().Where(t => t.Name != "rho"));

        var error = Assert.Throws<DigitsException>(() => KernelSvm.FromModelFile(ModelFile.Load(path)));

        Assert.Contains("'rho'", error.Problem);
    }

    private float[] Predict(KernelSvm model)
    {
        var probabilities = new float[SmallMnistSvms.TestCount * 10];
        model.Predict(models.Test.Pixels, SmallMnistSvms.TestCount, probabilities);
        return probabilities;
    }

    private double Accuracy(float[] probabilities)
    {
        int correct = 0;
        for (int i = 0; i < SmallMnistSvms.TestCount; i++)
        {
            if (ArgMax(probabilities.AsSpan(i * 10, 10)) == models.Test.Labels[i])
                correct++;
        }
        return correct / (double)SmallMnistSvms.TestCount;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best])
                best = c;
        }
        return best;
    }

    private ModelMetadata Metadata(KernelSvm model) => new()
    {
        Kind = model.Kind,
        Labels = model.Labels,
        Architecture = model.Architecture,
        Preprocessing = model.Preprocessing,
        Command = "digits train svm --subset 2000",
        Seed = 0,
        Metrics = "{}",
        TrainDataSha256 = models.Train.ContentSha256(),
    };
}
