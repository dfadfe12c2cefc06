using Digits.Neural;

namespace Digits.Tests.Neural;

/// <summary>A numerical gradient check for every layer kind, for input gradients and parameter gradients.</summary>
public class LayerGradientTests
{
    private const double Tolerance = 1e-2;

    private static void AssertGradients(SampleShape input, LayerSpec[] specs, int batch, bool training, float[] inputs,
        Action<ParameterStore>? setParameters = null)
    {
        (double inputError, double parameterError) = new GradientCheck(input, specs, batch, training).Run(inputs, setParameters);
        Assert.True(inputError < Tolerance, $"input gradient relative error {inputError}");
        Assert.True(parameterError < Tolerance, $"parameter gradient relative error {parameterError}");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 0)]
    public void Conv2d_gradients_match_central_differences(int stride, int padding)
    {
        var shape = new SampleShape(2, 6, 5);
        AssertGradients(shape, [new Conv2dSpec(3, 3, stride, padding)], 2, true, GradientCheck.AwayFromZero(2 * shape.Size, 1));
    }

    [Fact]
    public void Linear_gradients_match_central_differences() =>
        AssertGradients(SampleShape.Flat(7), [new LinearSpec(5)], 3, true, GradientCheck.AwayFromZero(21, 2));

    [Fact]
    public void Relu_gradient_matches_central_differences_away_from_the_kink() =>
        AssertGradients(new SampleShape(2, 3, 3), [new ReluSpec()], 2, true, GradientCheck.AwayFromZero(36, 3));

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(2, 1)]
    public void MaxPool2d_gradient_matches_central_differences_without_ties(int kernel, int stride) =>
        AssertGradients(new SampleShape(2, 5, 6), [new MaxPool2dSpec(kernel, stride)], 2, true, GradientCheck.DistinctLadder(120, 4));

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    public void AvgPool2d_gradient_matches_central_differences(int kernel, int stride) =>
        AssertGradients(new SampleShape(2, 5, 6), [new AvgPool2dSpec(kernel, stride)], 2, true, GradientCheck.AwayFromZero(120, 5));

    [Fact]
    public void GlobalAvgPool_gradient_matches_central_differences() =>
        AssertGradients(new SampleShape(3, 4, 3), [new GlobalAvgPoolSpec()], 2, true, GradientCheck.AwayFromZero(72, 6));

    [Fact]
    public void Flatten_passes_gradients_through() =>
        AssertGradients(new SampleShape(2, 2, 3), [new FlattenSpec(), new LinearSpec(4)], 2, true, GradientCheck.AwayFromZero(24, 7));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNorm2d_gradients_match_central_differences(bool training) =>
        AssertGradients(new SampleShape(3, 3, 2), [new BatchNormSpec()], 4, training, GradientCheck.AwayFromZero(72, 8), RandomAffine);

    [Fact]
    public void BatchNorm1d_gradients_match_central_differences_in_training() =>
        AssertGradients(SampleShape.Flat(5), [new BatchNormSpec()], 6, true, GradientCheck.AwayFromZero(30, 9), RandomAffine);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dropout_gradient_matches_central_differences(bool training) =>
        AssertGradients(SampleShape.Flat(40), [new DropoutSpec(0.5f)], 3, training, GradientCheck.AwayFromZero(120, 10));

    [Fact]
    public void A_smooth_convnet_gradients_match_central_differences() =>
        AssertGradients(new SampleShape(1, 7, 7),
            [new Conv2dSpec(3, 3, 1, 1), new BatchNormSpec(), new AvgPool2dSpec(2), new FlattenSpec(), new LinearSpec(4)],
            3, true, GradientCheck.AwayFromZero(147, 11), RandomAffine);

    /// <summary>Non-trivial BatchNorm scale and shift, and running statistics away from (0, 1).</summary>
    private static void RandomAffine(ParameterStore store)
    {
        var rng = new Rng(12);
        foreach (ParameterView view in store.Parameters)
        {
            if (view.Name.EndsWith("weight", StringComparison.Ordinal) && view.Shape.Count == 1)
            {
                foreach (ref float v in store.Value(view))
                {
                    v = 0.5f + rng.NextFloat();
                }
            }
        }
        foreach (ref float v in store.Buffers.AsSpan())
        {
            v += 0.3f * rng.NextFloat();
        }
    }
}
