using Digits.Evaluation;
using SkiaSharp;

namespace Digits.Tests.Evaluation;

/// <summary>
/// Renders each chart into a private temporary folder and checks the PNG as a person would glance at it: the right
/// size, not blank, and with dark text pixels where the title goes.
/// </summary>
public sealed class ChartTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("digits-charts-");

    public void Dispose() => folder.Delete(recursive: true);

    private string PathFor(string name) => Path.Combine(folder.FullName, name);

    private static ConfusionMatrix DigitMatrix()
    {
        var matrix = new ConfusionMatrix(Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray());
        for (int t = 0; t < 10; t++)
        {
            for (int i = 0; i < 100; i++)
                matrix.Add(t, t);
            matrix.Add(t, (t + 1) % 10);
        }
        return matrix;
    }

    private static SKBitmap Decode(string path)
    {
        var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    /// <summary>Distinct colours among every 3rd pixel, enough to tell a chart from a blank or one-colour image.</summary>
    private static int DistinctColours(SKBitmap bitmap)
    {
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
        {
            for (int x = 0; x < bitmap.Width; x += 3)
                colours.Add((uint)bitmap.GetPixel(x, y));
        }
        return colours.Count;
    }

    /// <summary>Near-black pixels in the top band of the image, where ScottPlot draws the title.</summary>
    private static int DarkPixelsInTitleBand(SKBitmap bitmap)
    {
        int dark = 0;
        for (int y = 0; y < 40; y++)
        {
            for (int x = bitmap.Width / 4; x < bitmap.Width * 3 / 4; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (pixel.Red < 90 && pixel.Green < 90 && pixel.Blue < 90)
                    dark++;
            }
        }
        return dark;
    }

    private static void AssertLooksLikeAChart(string path, int width, int height)
    {
        using var bitmap = Decode(path);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        Assert.True(DistinctColours(bitmap) >= 8, "the image is (nearly) blank");
        Assert.True(DarkPixelsInTitleBand(bitmap) >= 50, "no title text was drawn");
    }

    [Fact]
    public void The_dejavu_font_file_is_found_and_registered() => Assert.True(ChartFont.EnsureRegistered());

    [Fact]
    public void Confusion_matrix_chart_renders_counts_and_title()
    {
        string path = PathFor("confusion.png");

        ConfusionMatrixChart.Save(DigitMatrix(), path, ConfusionMatrixChart.Title("cnn", "test", 0.9901));

        AssertLooksLikeAChart(path, 800, 760);
    }

    [Fact]
    public void Row_normalized_confusion_matrix_chart_renders()
    {
        string path = PathFor("confusion-normalized.png");

        ConfusionMatrixChart.Save(DigitMatrix(), path, "normalized", normalizeRows: true, width: 600, height: 600);

        AssertLooksLikeAChart(path, 600, 600);
    }

    [Fact]
    public void Confusion_title_shows_accuracy_as_a_percentage_with_two_decimals() =>
        Assert.Equal("cnn — test accuracy 99.21%", ConfusionMatrixChart.Title("cnn", "test", 0.99214));

    /// <summary>
    /// Pixels within a small distance of <paramref name="colour"/> between the fractions <paramref name="from"/> and
    /// <paramref name="to"/> of the width: how much of one series a chart (or one panel of it) drew.
    /// </summary>
    private static int PixelsOfColour(string path, ScottPlot.Color colour, double from = 0, double to = 1)
    {
        using var bitmap = Decode(path);
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = (int)(from * bitmap.Width); x < (int)(to * bitmap.Width); x++)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - colour.R) + Math.Abs(p.Green - colour.G) + Math.Abs(p.Blue - colour.B) < 30)
                    count++;
            }
        }
        return count;
    }

    [Fact]
    public void Reliability_diagram_renders_bars_for_the_filled_bins_and_a_title()
    {
        var random = new Random(5);
        var confidence = Enumerable.Range(0, 2000).Select(_ => (float)(0.3 + 0.7 * Math.Sqrt(random.NextDouble()))).ToArray();
        var correct = confidence.Select(c => random.NextDouble() < c * 0.95).ToArray();
        var bins = CalibrationError.Bins(confidence, correct);
        string path = PathFor("reliability.png");

        ReliabilityDiagramChart.Save(bins, path, ReliabilityDiagramChart.Title("cnn", "test", CalibrationError.Expected(bins), 0.9));

        AssertLooksLikeAChart(path, 800, 700);
    }

    [Fact]
    public void Reliability_title_gives_the_ece_as_a_fraction_and_accuracy_as_a_percentage() =>
        Assert.Equal("cnn — test ECE 0.0123, accuracy 99.21%", ReliabilityDiagramChart.Title("cnn", "test", 0.01234, 0.99214));

    [Fact]
    public void Learning_curve_chart_renders_with_and_without_validation()
    {
        var withValidation = Enumerable.Range(1, 5)
            .Select(e => new LearningCurvePoint(e, 1.0 / e, 1 - 0.1 / e, 1.1 / e, 1 - 0.12 / e)).ToArray();
        var trainOnly = withValidation.Select(p => p with { ValidationLoss = null, ValidationAccuracy = null }).ToArray();

        LearningCurveChart.Save(withValidation, PathFor("curve.png"), "cnn");
        LearningCurveChart.Save(trainOnly, PathFor("curve-train.png"), "logreg", width: 900, height: 400);

        AssertLooksLikeAChart(PathFor("curve.png"), 1100, 500);
        AssertLooksLikeAChart(PathFor("curve-train.png"), 900, 400);
        Assert.True(PixelsOfColour(PathFor("curve.png"), ChartPalette.Second) > 200, "no validation line");
        Assert.Equal(0, PixelsOfColour(PathFor("curve-train.png"), ChartPalette.Second));
    }

    [Fact]
    public void Learning_curve_of_a_real_training_run_draws_both_panels_with_train_and_validation()
    {
        var recipe = Neural.Training.TinyRecipe.Create();
        var run = new Digits.Neural.Training.CnnTrainer(recipe with { Training = recipe.Training with { Epochs = 4 } })
            .Train(Neural.Training.TinyRecipe.Train(), Neural.Training.TinyRecipe.Validation());
        var curve = run.History.Select(e => e.Point).ToArray();

        LearningCurveChart.Save(curve, PathFor("real-curve.png"), "tiny cnn");

        Assert.Equal([1, 2, 3, 4], curve.Select(p => p.Epoch));
        Assert.All(curve, p => Assert.NotNull(p.ValidationAccuracy));
        AssertLooksLikeAChart(PathFor("real-curve.png"), 1100, 500);
        Assert.True(PixelsOfColour(PathFor("real-curve.png"), ChartPalette.Second, 0, 0.5) > 100, "the loss panel has no validation line");
        Assert.True(PixelsOfColour(PathFor("real-curve.png"), ChartPalette.Second, 0.5, 1) > 100, "the accuracy panel has no validation line");
    }

    [Fact]
    public void Model_comparison_chart_renders_points_intervals_and_published_lines()
    {
        ModelScore[] scores =
        [
            new("logreg", 0.925, 0.9197, 0.9300, 3.2, 0.923),
            new("svm", 0.979, 0.9760, 0.9817, 95, 0.967),
            new("cnn", 0.992, 0.9901, 0.9936, 610, 0.991),
            new("linear-svm", 0.936, 0.9311, 0.9406, 11),
        ];

        ModelComparisonChart.Save(scores, PathFor("comparison.png"));
        ModelComparisonChart.Save(scores.Select(s => s with { Published = null }).ToArray(), PathFor("comparison-ours.png"));

        AssertLooksLikeAChart(PathFor("comparison.png"), 900, 600);
        Assert.True(PixelsOfColour(PathFor("comparison.png"), ChartPalette.Error) > 500, "no published lines");
        Assert.Equal(0, PixelsOfColour(PathFor("comparison-ours.png"), ChartPalette.Error));
        Assert.True(PixelsOfColour(PathFor("comparison-ours.png"), ChartPalette.Correct) > 4 * 50, "fewer than four points");
    }

    /// <summary>
    /// A model's score with a 95% interval as wide as on the 10,000 MNIST test images (about ±0.5 points at 92%,
    /// ±0.1 at 99.7%).
    /// </summary>
    private static ModelScore Score(string name, double seconds, double accuracy, double? published = null, string? by = null)
    {
        double half = 1.96 * Math.Sqrt(accuracy * (1 - accuracy) / 10_000);
        return new ModelScore(name, accuracy, accuracy - half, Math.Min(1, accuracy + half), seconds, published, by);
    }

    /// <summary>
    /// The ten models of a full report: four linear ones within a second of each other at 2-3 s, the two CNNs 0.03
    /// points apart, and two models at exactly 99.18%.
    /// </summary>
    private static ModelScore[] TenModels() =>
    [
        Score("logreg 60k", 2.3, 0.9259, 0.923, "notebook logreg"),
        Score("logreg-deskew 60k", 3.1, 0.9420, 0.923, "notebook logreg"),
        Score("linear-svm 60k", 2.4, 0.9298),
        Score("linear-svm-deskew 60k", 3.0, 0.9450),
        Score("svm 10k", 4.0, 0.9694, 0.967, "notebook SVM"),
        Score("svm-60k 60k", 34, 0.9856, 0.967, "notebook SVM"),
        Score("svm-60k-deskew-vsv 60k", 150, 0.9918),
        Score("cnn-fast 60k", 8.6, 0.9918, 0.991, "notebook CNN"),
        Score("cnn 54k", 700, 0.9969, 0.991, "notebook CNN"),
        Score("cnn-ensemble 54k", 2100, 0.9972),
    ];

    /// <summary>The pixel of each score's point in the first (label-free) render of a built comparison chart.</summary>
    private static ScottPlot.Pixel[] Points(ScottPlot.Plot plot, IEnumerable<ModelScore> scores) =>
        scores.Select(s => plot.GetPixel(new ScottPlot.Coordinates(Math.Log10(s.TrainSeconds), s.Accuracy * 100))).ToArray();

    [Fact]
    public void Comparison_labels_of_ten_crowded_models_overlap_neither_each_other_nor_any_point_and_stay_inside()
    {
        var scores = TenModels();

        var plot = ModelComparisonChart.Build(scores, "ten models", 900, 600, out var labels);
        ModelComparisonChart.Save(scores, PathFor("comparison-10.png"), "ten models");

        var data = plot.LastRender.DataRect;
        var bounds = new LabelPlacement.Box(data.Left, data.Top, data.Right, data.Bottom);
        var markers = Points(plot, scores).Select(p => LabelPlacement.Box.Around(p.X, p.Y, 5.5, 5.5)).ToArray();
        Assert.Equal(10, labels.Length);
        for (int i = 0; i < labels.Length; i++)
        {
            Assert.True(labels[i].Clear, $"{scores[i].Name} found no free place");
            Assert.True(labels[i].Box.Within(bounds), $"{scores[i].Name} leaves the data area");
            for (int j = 0; j < labels.Length; j++)
            {
                Assert.False(labels[i].Box.Overlaps(markers[j]), $"the label of {scores[i].Name} covers the point of {scores[j].Name}");
                Assert.True(j <= i || !labels[i].Box.Overlaps(labels[j].Box), $"the labels of {scores[i].Name} and {scores[j].Name} overlap");
            }
        }
        AssertLooksLikeAChart(PathFor("comparison-10.png"), 900, 600);
    }

    [Fact]
    public void Comparison_labels_of_a_few_models_with_room_sit_right_of_their_points_as_before()
    {
        ModelScore[] scores =
        [
            Score("logreg 60k", 3.2, 0.925, 0.923, "notebook logreg"),
            Score("svm 10k", 95, 0.979, 0.967, "notebook SVM"),
            Score("cnn 60k", 610, 0.992, 0.991, "notebook CNN"),
        ];

        var plot = ModelComparisonChart.Build(scores, "three models", 900, 600, out var labels);

        var points = Points(plot, scores);
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.False(labels[i].Leader);
            Assert.Equal(points[i].X + 14, labels[i].Box.Left, 0.01);
            Assert.Equal(points[i].Y, (labels[i].Box.Top + labels[i].Box.Bottom) / 2, 0.01);
        }
    }

    [Fact]
    public void Comparison_time_axis_is_logarithmic_with_room_for_labels_on_the_right()
    {
        ModelScore[] scores = [new("fast", 0.92, 0.91, 0.93, 2), new("slow", 0.99, 0.98, 0.995, 200)];

        var (left, right) = ModelComparisonChart.TimeRange(scores);
        double[] ticks = ModelComparisonChart.TimeTicks(left, right);

        Assert.True(left < Math.Log10(2) && right > Math.Log10(200) + 0.5);
        Assert.Equal(["10 s", "100 s", "1,000 s"], ticks.Select(t => ModelComparisonChart.Seconds(Math.Pow(10, t))));
        Assert.Equal("0.5 s", ModelComparisonChart.Seconds(0.5));
        // Within one decade there are too few powers of ten, so 2 and 5 times them are ticks too.
        Assert.Equal(["2 s", "5 s", "10 s"], ModelComparisonChart.TimeTicks(0.2, 1.1).Select(t => ModelComparisonChart.Seconds(Math.Pow(10, t))));
    }

    [Fact]
    public void Comparison_refuses_a_training_time_a_log_axis_cannot_show() =>
        Assert.Throws<ArgumentException>(() =>
            ModelComparisonChart.Save([new ModelScore("instant", 0.9, 0.89, 0.91, 0)], PathFor("bad.png")));

    [Fact]
    public void Comparison_axis_starts_at_90_percent_unless_a_figure_is_lower()
    {
        Assert.Equal(90, ModelComparisonChart.AxisFloor([new("cnn", 0.99, 0.98, 0.995, 60, 0.923)]));
        Assert.Equal(80, ModelComparisonChart.AxisFloor([new("weak", 0.86, 0.845, 0.87, 5)]));
    }

    [Fact]
    public void Parameter_sweep_chart_renders_on_a_log_axis()
    {
        var points = new[] { 0.01, 0.1, 1, 10, 100 }
            .Select((c, i) => new ParameterSweepPoint(c, 0.9 + 0.01 * i, 0.003)).ToArray();

        ParameterSweepChart.Save("C", points, PathFor("sweep.png"), "linear-svm: validation accuracy vs C");

        AssertLooksLikeAChart(PathFor("sweep.png"), 800, 600);
    }

    [Fact]
    public void Parameter_sweep_rejects_values_a_log_axis_cannot_show() =>
        Assert.Throws<ArgumentException>(() =>
            ParameterSweepChart.Save("C", [new ParameterSweepPoint(0, 0.9)], PathFor("bad.png"), "bad"));

    [Fact]
    public void Cv_heatmap_renders_including_untried_cells()
    {
        double[] cs = [0.1, 1, 10];
        double[] gammas = [0.01, 0.05];
        var accuracy = new double[,] { { 0.95, 0.96 }, { 0.97, double.NaN }, { 0.975, 0.965 } };

        CvHeatmapChart.Save("C", cs, "gamma", gammas, accuracy, PathFor("cv.png"), "svm: 3-fold CV accuracy");

        AssertLooksLikeAChart(PathFor("cv.png"), 800, 640);
    }

    [Fact]
    public void Saving_replaces_an_existing_chart_and_leaves_no_temporary_files()
    {
        string path = PathFor("confusion.png");
        File.WriteAllText(path, "an older chart");

        ConfusionMatrixChart.Save(DigitMatrix(), path, "replaced", width: 400, height: 400);

        using (var bitmap = Decode(path))
            Assert.Equal(400, bitmap.Width);
        Assert.Equal(["confusion.png"], folder.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public void Saving_where_the_folder_is_a_file_is_a_digits_error_naming_the_path()
    {
        string blocker = PathFor("not-a-folder");
        File.WriteAllText(blocker, "");
        string path = Path.Combine(blocker, "chart.png");

        var error = Assert.Throws<DigitsException>(() => ConfusionMatrixChart.Save(DigitMatrix(), path, "x"));

        Assert.Equal(path, error.Subject);
        Assert.Equal(["not-a-folder"], folder.GetFiles().Select(f => f.Name));
    }
}
