using System.Globalization;
using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Test accuracy per model as bars with 95% interval whiskers, and each model's published figure as a red mark across
/// its bar. The y axis starts near the lowest figure (90% for the MNIST models) rather than at 0: every model here is
/// above 90%, and the differences that matter are tenths of a percent. Each bar is labelled with its value so the
/// cut axis cannot mislead.
/// </summary>
public static class ModelComparisonChart
{
    private const double BarWidth = 0.6;

    /// <summary>Renders the chart to a PNG file at <paramref name="path"/> (replaced atomically).</summary>
    /// <param name="scores">Models in the order to show them, left to right; at least one.</param>
    public static void Save(
        IReadOnlyList<ModelScore> scores, string path, string title = "test accuracy by model", int width = 800, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0) throw new ArgumentException("has no models", nameof(scores));
        PngFile.Save(Build(scores, title), path, width, height);
    }

    /// <summary>
    /// The bottom of the y axis in percent: 90, or lower in steps of 5 when a figure (interval or published) falls below it.
    /// </summary>
    internal static double AxisFloor(IReadOnlyList<ModelScore> scores)
    {
        double lowest = scores.Min(s => Math.Min(s.Low, s.Published ?? 1)) * 100;
        return Math.Max(0, Math.Min(90, Math.Floor((lowest - 1) / 5) * 5));
    }

    internal static Plot Build(IReadOnlyList<ModelScore> scores, string title)
    {
        var plot = new Plot();
        ChartFont.Apply(plot);
        double floor = AxisFloor(scores);
        double top = 100 + (100 - floor) * 0.06;
        bool anyPublished = false;

        for (int i = 0; i < scores.Count; i++)
        {
            var score = scores[i];
            var bar = new Bar
            {
                Position = i,
                Value = score.Accuracy * 100,
                ValueBase = floor,
                FillColor = ChartPalette.Shade(ChartPalette.Correct, 0.55),
                LineColor = ChartPalette.Correct,
                Size = BarWidth,
            };
            plot.Add.Bar(bar);

            Whisker(plot, i, score.Low * 100, score.High * 100, legend: i == 0 ? "95% interval" : null);
            var label = plot.Add.Text(Percent(score.Accuracy), i, score.High * 100 + (100 - floor) * 0.01);
            label.LabelFontSize = ChartFont.TickSize;
            label.LabelAlignment = Alignment.LowerCenter;
            label.LabelBold = true;

            if (score.Published is double published)
            {
                var mark = plot.Add.Line(i - BarWidth / 2, published * 100, i + BarWidth / 2, published * 100);
                mark.LineColor = ChartPalette.Error;
                mark.LineWidth = 3;
                mark.LinePattern = LinePattern.Dashed;
                if (!anyPublished) mark.LegendText = "published";
                anyPublished = true;
            }
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, scores.Count).Select(i => (double)i).ToArray(), scores.Select(s => s.Name).ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = ChartFont.CategorySize;
        plot.Axes.Left.Label.Text = "test accuracy (%)";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(100 - floor <= 12 ? 1 : 5);
        plot.Axes.SetLimits(-0.6, scores.Count - 0.4, floor, top);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        plot.Title(title);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static void Whisker(Plot plot, double x, double low, double high, string? legend)
    {
        const double cap = 0.08;
        var color = Colors.Black;
        var stem = plot.Add.Line(x, low, x, high);
        stem.LineColor = color;
        stem.LineWidth = 1.5f;
        if (legend is not null) stem.LegendText = legend;
        foreach (double y in new[] { low, high })
        {
            var end = plot.Add.Line(x - cap, y, x + cap, y);
            end.LineColor = color;
            end.LineWidth = 1.5f;
        }
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
