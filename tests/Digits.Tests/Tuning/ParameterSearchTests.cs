using Digits.Data;
using Digits.Tuning;

namespace Digits.Tests.Tuning;

public class ParameterSearchTests
{
    private static readonly string[] SvmParameters = ["C", "gamma"];

    [Fact]
    public void Grid_spec_parses_into_every_combination()
    {
        var grid = ParameterGrid.Parse("C=1,5,10; gamma=0.01,0.05", SvmParameters);
        Assert.Equal(6, grid.Count);
        var all = grid.Combinations();
        Assert.Equal(6, all.Count);
        Assert.Equal(1, all[0]["C"]);
        Assert.Equal(0.05, all[1]["gamma"]);
        Assert.Equal(10, all[5]["C"]);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("C", "'C' is not name=values")]
    [InlineData("C=1;C=2", "given twice")]
    [InlineData("nu=0.1", "unknown parameter 'nu', expected one of C, gamma")]
    [InlineData("C=1,x", "'x' in C is not a number")]
    public void Bad_grid_specs_name_the_problem(string spec, string problem)
    {
        var e = Assert.Throws<DigitsException>(() => ParameterGrid.Parse(spec, SvmParameters));
        Assert.Equal("--grid", e.Subject);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void Random_search_draws_distinct_settings_reproducibly()
    {
        var grid = ParameterGrid.Parse("C=1,2,3,4;gamma=1,2,3", SvmParameters);
        var a = grid.Sample(5, 9);
        Assert.Equal(5, a.Select(p => (p["C"], p["gamma"])).Distinct().Count());
        Assert.Equal(a.Select(p => p["C"] * 10 + p["gamma"]), grid.Sample(5, 9).Select(p => p["C"] * 10 + p["gamma"]));
        Assert.Equal(12, grid.Sample(50, 9).Count);
    }

    /// <summary>Predicts class 1 for 28×28 images whose first pixel is at least the threshold "t", else class 0.</summary>
    private sealed class ThresholdModel(double threshold) : IClassifier
    {
        public string Name => "threshold";

        public IReadOnlyList<string> Labels { get; } = ["0", "1"];

        public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
        {
            for (int i = 0; i < count; i++)
            {
                bool one = images[i * 784] >= threshold;
                probabilities[2 * i] = one ? 0 : 1;
                probabilities[2 * i + 1] = one ? 1 : 0;
            }
        }
    }

    [Fact]
    public void Search_picks_the_setting_with_the_best_cross_validated_accuracy()
    {
        var rng = new Rng(2);
        int n = 300;
        var pixels = new byte[n * 784];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = (byte)(i % 2);
            pixels[i * 784] = (byte)(labels[i] == 1 ? 100 + rng.NextInt(100) : rng.NextInt(100));
        }
        var data = new LabeledImages(pixels, labels, 28, 28, classCount: 2);
        var grid = ParameterGrid.Parse("t=20,100,180", ["t"]);
        var result = ParameterSearch.Run(data, grid.Combinations(), folds: 3, seed: 1, (_, p) => new ThresholdModel(p["t"]));
        Assert.Equal(100, result.Best.Parameters["t"]);
        Assert.Equal(1.0, result.Best.CvMean);
        Assert.Equal(3, result.Best.FoldAccuracies.Count);
        Assert.All(result.Trials.Where(t => t != result.Best), t => Assert.True(t.CvMean < 0.9));
    }
}
