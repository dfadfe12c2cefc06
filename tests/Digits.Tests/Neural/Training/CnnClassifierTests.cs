using Digits.Neural;
using Digits.Neural.Training;
using Digits.Persistence;

namespace Digits.Tests.Neural.Training;

public class CnnClassifierTests
{
    internal static ModelMetadata Metadata(IPersistableModel model) => new()
    {
        Kind = model.Kind,
        Recipe = model.Recipe,
        Labels = model.Labels,
        Architecture = model.Architecture,
        Preprocessing = model.Preprocessing,
        Command = "digits train cnn-fast --seed 1",
        Seed = 1,
        Metrics = "{}",
        TrainDataSha256 = new string('0', 64),
    };

    /// <summary>An untrained CNN of <paramref name="recipe"/>'s layers, with BatchNorm running statistics moved off their initial values.</summary>
    internal static CnnClassifier Random(CnnRecipe recipe, ulong seed, InputStandardization? standardization = null, int maxBatch = 64)
    {
        var architecture = new CnnArchitecture(CnnArchitecture.MnistInput, recipe.Layers, standardization);
        var network = new Network(architecture.Input, architecture.Layers, 1, seed);
        var rng = new Rng(seed);
        float[] buffers = network.Parameters.Buffers;
        for (int i = 0; i < buffers.Length; i++)
        {
            buffers[i] = 0.2f + 0.5f * rng.NextFloat();
        }
        return new CnnClassifier(architecture, network.Parameters.Values, buffers, recipe.Name, new Preprocessing(false), maxBatch: maxBatch);
    }

    private static float[] Predict(IClassifier model, int count)
    {
        var probabilities = new float[count * 10];
        model.Predict(TestData.Mnist.Test.Pixels.AsSpan(0, count * 784), count, probabilities);
        return probabilities;
    }

    [Fact]
    public void Saving_and_loading_a_trained_model_gives_bit_identical_probabilities()
    {
        using var folder = new TempFolder();
        CnnClassifier trained = new CnnTrainer(TinyRecipe.Create()).Train(TinyRecipe.Train(), null).Model;
        string path = folder.File("tiny.safetensors");
        ModelFile.Save(path, Metadata(trained), trained.Tensors());

        CnnClassifier loaded = CnnClassifier.FromModelFile(ModelFile.Load(path));

        float[] before = Predict(trained, 100), after = Predict(loaded, 100);
        Assert.Equal(before, after);
        Assert.Equal(trained.Architecture, loaded.Architecture);
        Assert.NotNull(loaded.CnnArchitecture.Standardization);
        for (int n = 0; n < 100; n++)
        {
            Assert.Equal(1f, before.AsSpan(n * 10, 10).ToArray().Sum(), 4);
        }
    }

    [Fact]
    public void Tensors_are_every_parameter_and_running_statistic_by_its_pytorch_name()
    {
        CnnClassifier model = Random(Recipes.Cnn, 1);
        string[] names = [.. model.Tensors().Select(t => t.Name)];
        Assert.Contains("0.weight", names);
        Assert.Contains("1.running_mean", names);
        Assert.Contains("1.running_var", names);
        Assert.Equal(model.Parameters.Values.Length + model.Parameters.Buffers.Length, model.Tensors().Sum(t => t.ElementCount));
    }

    [Fact]
    public void Predicting_more_images_than_the_max_batch_works_in_chunks()
    {
        CnnClassifier model = Random(TinyRecipe.Create(), 3, maxBatch: 16);
        float[] probabilities = Predict(model, 50);
        for (int n = 0; n < 50; n++)
        {
            Assert.Equal(1f, probabilities.AsSpan(n * 10, 10).ToArray().Sum(), 4);
        }
        var single = new float[10];
        model.Predict(TestData.Mnist.Test.Image(37), 1, single);
        for (int j = 0; j < 10; j++)
        {
            Assert.Equal(probabilities[370 + j], single[j], 5);
        }
    }

    [Fact]
    public void Loading_another_kind_is_a_clear_error()
    {
        using var folder = new TempFolder();
        var ensemble = new EnsembleClassifier([Random(TinyRecipe.Create(), 1)]);
        string path = folder.File("ensemble.safetensors");
        ModelFile.Save(path, Metadata(ensemble), ensemble.Tensors());
        var error = Assert.Throws<DigitsException>(() => CnnClassifier.FromModelFile(ModelFile.Load(path)));
        Assert.Contains("not a 'cnn' one", error.Message);
    }

    [Fact]
    public void An_ensemble_averages_its_members_and_round_trips_through_one_file()
    {
        using var folder = new TempFolder();
        CnnClassifier a = Random(TinyRecipe.Create(), 1), b = Random(TinyRecipe.Create(), 2);
        var ensemble = new EnsembleClassifier([a, b]);
        float[] pa = Predict(a, 20), pb = Predict(b, 20), mean = Predict(ensemble, 20);
        for (int i = 0; i < mean.Length; i++)
        {
            Assert.Equal((pa[i] + pb[i]) / 2f, mean[i], 6);
        }

        string path = folder.File("ensemble.safetensors");
        ModelFile.Save(path, Metadata(ensemble), ensemble.Tensors());
        ModelFile file = ModelFile.Load(path);
        Assert.Contains(file.File.Tensors, t => t.Name == "m1.0.weight");
        EnsembleClassifier loaded = EnsembleClassifier.FromModelFile(file);
        Assert.Equal(2, loaded.Members.Count);
        Assert.Equal(mean, Predict(loaded, 20));
    }
}
