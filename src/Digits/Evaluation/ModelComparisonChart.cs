using System.Globalization;
using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Test accuracy against training time, one labelled point per model with its 95% interval as a whisker, so the
/// chart answers "how much accuracy does each extra minute buy". Training times span orders of magnitude (seconds
/// for logistic regression, minutes for a CNN), so the time axis is logarithmic: the chart plots log10 of seconds
/// and labels the ticks in seconds. Published figures (the notebook's 92.3%, 96.7%, 99.1%) have no training time of
/// ours, so each is a dashed red line across the chart, named on the right axis where no point label can cover it.
/// The y axis starts near the lowest figure (90% for the MNIST models) rather than at 0: the differences that matter
/// are tenths of a percent, and each point is labelled with its value so the cut axis cannot mislead.
/// </summary>
public static class ModelComparisonChart
{
    /// <summary>Renders the chart to a PNG file at <paramref name="path"/> (replaced atomically).</summary>
    /// <param name="scores">The models to show; at least one, each with a training time above 0.</param>
    public static void Save(
        IReadOnlyList<ModelScore> scores, string path, string title = "test accuracy against training time", int width = 900, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
            throw new ArgumentException("has no models", nameof(scores));
        if (scores.FirstOrDefault(s => !(s.TrainSeconds > 0) || double.IsInfinity(s.TrainSeconds)) is { } bad)
            throw new ArgumentException($"{bad.Name} has training time {bad.TrainSeconds} s, which a log axis cannot show", nameof(scores));
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

    /// <summary>The x range in log10 seconds: the data plus room on the right for the labels beside the points.</summary>
    internal static (double Left, double Right) TimeRange(IReadOnlyList<ModelScore> scores)
    {
        double low = scores.Min(s => Math.Log10(s.TrainSeconds)), high = scores.Max(s => Math.Log10(s.TrainSeconds));
        double span = Math.Max(high - low, 1);
        return (low - 0.12 * span, high + 0.45 * span);
    }

    internal static Plot Build(IReadOnlyList<ModelScore> scores, string title)
    {
        var plot = new Plot();
        ChartFont.Apply(plot);
        double floor = AxisFloor(scores);
        double top = 100 + (100 - floor) * 0.04;
        var (left, right) = TimeRange(scores);

        var published = PublishedFigures(scores);
        for (int i = 0; i < published.Length; i++)
        {
            var line = plot.Add.HorizontalLine(published[i].Accuracy * 100, 1.5f, ChartPalette.Error, LinePattern.Dashed);
            if (i == 0)
                line.LegendText = "published figure (named on the right)";
        }

        for (int i = 0; i < scores.Count; i++)
        {
            var score = scores[i];
            double x = Math.Log10(score.TrainSeconds);
            Whisker(plot, x, score.Low * 100, score.High * 100, cap: 0.012 * (right - left), legend: i == 0 ? "95% interval" : null);
            var point = plot.Add.Marker(x, score.Accuracy * 100, MarkerShape.FilledCircle, 11, ChartPalette.Correct);
            if (i == 0)
                point.LegendText = "our model (test accuracy)";
            var label = plot.Add.Text($"{score.Name}  {Percent(score.Accuracy, "0.00")}", x, score.Accuracy * 100);
            label.LabelFontSize = ChartFont.CategorySize;
            label.LabelBold = true;
            label.LabelAlignment = Alignment.MiddleLeft;
            label.LabelOffsetX = 14;
        }

        var ticks = TimeTicks(left, right);
        plot.Axes.Bottom.SetTicks(ticks, ticks.Select(t => Seconds(Math.Pow(10, t))).ToArray());
        plot.Axes.Bottom.Label.Text = "training time (log scale)";
        plot.Axes.Left.Label.Text = "test accuracy (%)";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(100 - floor <= 16 ? 1 : 5);
        plot.Axes.SetLimits(left, right, floor, top);
        plot.Axes.SetLimitsY(floor, top, plot.Axes.Right);
        plot.Axes.Right.SetTicks(
            published.Select(p => p.Accuracy * 100).ToArray(),
            published.Select(p => $"{p.Source} {Percent(p.Accuracy, "0.0")}").ToArray());
        plot.Axes.Right.TickLabelStyle.ForeColor = ChartPalette.Error;
        plot.Axes.Right.MajorTickStyle.Color = ChartPalette.Error;
        plot.Title(title);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>
    /// The distinct published figures, lowest first, each named by its <see cref="ModelScore.PublishedBy"/> (or by the
    /// names of the models that cite it), for the reference lines and the labels on the right axis.
    /// </summary>
    internal static (double Accuracy, string Source)[] PublishedFigures(IReadOnlyList<ModelScore> scores) =>
        scores.Where(s => s.Published is not null)
            .GroupBy(s => (s.Published!.Value, s.PublishedBy))
            .OrderBy(g => g.Key.Value)
            .Select(g => (g.Key.Value, g.Key.PublishedBy ?? "published " + string.Join(", ", g.Select(s => s.Name))))
            .ToArray();

    /// <summary>Ticks at 1, 2 and 5 times each power of ten inside [<paramref name="left"/>, <paramref name="right"/>]
    /// (log10 seconds), or only the powers of ten when that would make more than eight.</summary>
    internal static double[] TimeTicks(double left, double right)
    {
        var all = new List<double>();
        var decades = new List<double>();
        for (int power = (int)Math.Floor(left); power <= (int)Math.Ceiling(right); power++)
        {
            foreach (double m in new[] { 1.0, 2.0, 5.0 })
            {
                double t = power + Math.Log10(m);
                if (t < left || t > right)
                    continue;
                all.Add(t);
                if (m == 1)
                    decades.Add(t);
            }
        }
        return (all.Count <= 8 || decades.Count < 2 ? all : decades).ToArray();
    }

    /// <summary>A tick's time in seconds as people write it: 0.05 s, 0.5 s, 2 s, 1,000 s.</summary>
    internal static string Seconds(double seconds) =>
        (seconds < 1 ? seconds.ToString("G2", CultureInfo.InvariantCulture) : Math.Round(seconds).ToString("#,0", CultureInfo.InvariantCulture)) + " s";

    private static void Whisker(Plot plot, double x, double low, double high, double cap, string? legend)
    {
        var color = Colors.Black;
        var stem = plot.Add.Line(x, low, x, high);
        stem.LineColor = color;
        stem.LineWidth = 1.5f;
        if (legend is not null)
            stem.LegendText = legend;
        foreach (double y in new[] { low, high })
        {
            var end = plot.Add.Line(x - cap, y, x + cap, y);
            end.LineColor = color;
            end.LineWidth = 1.5f;
        }
    }

    private static string Percent(double fraction, string format) =>
        (fraction * 100).ToString(format, CultureInfo.InvariantCulture) + "%";
}
