using Digits.Neural;
using Digits.Neural.Training;

namespace Digits.Tests.Neural.Training;

public class RecipesTests
{
    [Theory]
    [InlineData("cnn")]
    [InlineData("cnn-fast")]
    [InlineData("keras")]
    public void Each_recipe_builds_a_network_with_ten_outputs(string name)
    {
        CnnRecipe recipe = Recipes.Get(name);
        Assert.Equal(name, recipe.Name);
        var network = new Network(CnnArchitecture.MnistInput, recipe.Layers, 1, 1);
        Assert.Equal(10, network.OutputShape.Size);
        recipe.Training.Validate();
    }

    [Fact]
    public void Keras_is_the_mnist_convnet_example()
    {
        CnnRecipe keras = Recipes.Get("keras");
        var network = new Network(CnnArchitecture.MnistInput, keras.Layers, 1, 1);
        Assert.Equal(1_199_882, network.Parameters.Values.Length);
        Assert.Equal((OptimizerKind.Adam, 1e-3f, 128, ScheduleKind.Constant, null),
            (keras.Training.Optimizer, keras.Training.LearningRate, keras.Training.BatchSize, keras.Training.Schedule, keras.Training.Augmentation));
    }

    [Fact]
    public void Cnn_fast_uses_the_published_fast_settings()
    {
        CnnTrainingOptions fast = Recipes.Get("cnn-fast").Training;
        Assert.Equal((2, 256, 0.01f, 0.7f, 0.9f, false, ScheduleKind.OneCycle, true),
            (fast.Epochs, fast.BatchSize, fast.LearningRate, fast.Beta1, fast.Beta2, fast.CycleMomentum, fast.Schedule, fast.StandardizeInputs));
    }

    [Fact]
    public void An_unknown_name_is_a_clear_error()
    {
        var error = Assert.Throws<DigitsException>(() => Recipes.Get("resnet"));
        Assert.Equal("recipe", error.Subject);
        Assert.Equal("unknown recipe 'resnet', expected one of cnn, cnn-fast, keras", error.Problem);
    }
}
