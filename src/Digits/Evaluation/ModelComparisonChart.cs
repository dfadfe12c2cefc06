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
/// are tenths of a percent, and each point is labelled with its value so the cut axis cannot mislead. A label sits right
/// of its point where there is room; where points crowd (the linear models within a second of each other, the CNNs
/// 0.03 points apart) <see cref="LabelPlacement"/> moves it so that no label covers another or any point.
/// </summary>
public static class ModelComparisonChart
{
    /// <summary>Diameter of a point's marker in pixels.</summary>
    private const float MarkerSize = 11;

    /// <summary>How far right of its point's centre a label starts in the usual position, in pixels: clear of the
    /// marker and of the whisker's caps.</summary>
    private const double LabelOffset = 14;

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
        PngFile.Save(Build(scores, title, width, height, out _), path, width, height);
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

    /// <summary>
    /// The chart for <paramref name="scores"/> as it will be rendered at <paramref name="width"/> × <paramref name="height"/>
    /// pixels. The labels are placed last, by <see cref="LabelPlacement"/>, from a first render without them: only then
    /// are the pixel positions of the points, whiskers and legend known. <paramref name="labels"/> gives where each
    /// score's label went, in pixels, in the order of <paramref name="scores"/>.
    /// </summary>
    internal static Plot Build(
        IReadOnlyList<ModelScore> scores, string title, int width, int height, out LabelPlacement.Placement[] labels)
    {
        var plot = new Plot();
        ChartFont.Apply(plot);
        double floor = AxisFloor(scores);
        double top = 100 + (100 - floor) * 0.04;
        var (left, right) = TimeRange(scores);
        double cap = 0.012 * (right - left);

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
            Whisker(plot, x, score.Low * 100, score.High * 100, cap, legend: i == 0 ? "95% interval" : null);
            var point = plot.Add.Marker(x, score.Accuracy * 100, MarkerShape.FilledCircle, MarkerSize, ChartPalette.Correct);
            if (i == 0)
                point.LegendText = "our model (test accuracy)";
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

        labels = AddLabels(plot, scores, published.Select(p => p.Accuracy * 100).ToArray(), cap, width, height);
        return plot;
    }

    /// <summary>
    /// Renders <paramref name="plot"/> once (without labels) to learn the pixel layout, places one label per score
    /// clear of every marker, whisker, the legend and each other, and adds the labels (with a thin grey leader line for
    /// those placed further out than usual). A label that has to move also keeps off the dashed lines at
    /// <paramref name="references"/> (percent) where it can, so they do not strike through its text.
    /// </summary>
    private static LabelPlacement.Placement[] AddLabels(
        Plot plot, IReadOnlyList<ModelScore> scores, double[] references, double cap, int width, int height)
    {
        plot.RenderInMemory(width, height);
        var data = plot.LastRender.DataRect;
        var bounds = new LabelPlacement.Box(data.Left, data.Top, data.Right, data.Bottom);

        var obstacles = new List<LabelPlacement.Obstacle>();
        var anchors = new Pixel[scores.Count];
        for (int i = 0; i < scores.Count; i++)
        {
            var score = scores[i];
            double x = Math.Log10(score.TrainSeconds);
            var point = anchors[i] = plot.GetPixel(new Coordinates(x, score.Accuracy * 100));
            var high = plot.GetPixel(new Coordinates(x, score.High * 100));
            var low = plot.GetPixel(new Coordinates(x, score.Low * 100));
            double capHalf = Math.Abs(plot.GetPixel(new Coordinates(x + cap, score.Accuracy * 100)).X - point.X);
            obstacles.Add(new(LabelPlacement.Box.Around(point.X, point.Y, MarkerSize / 2 + 1, MarkerSize / 2 + 1), i));
            obstacles.Add(new(new LabelPlacement.Box(point.X - 1, high.Y - 1, point.X + 1, low.Y + 1), i));
            obstacles.Add(new(LabelPlacement.Box.Around(point.X, high.Y, capHalf + 1, 1), i));
            obstacles.Add(new(LabelPlacement.Box.Around(point.X, low.Y, capHalf + 1, 1), i));
        }
        using (var legend = plot.Legend.GetImage())
        {
            var rect = new PixelRect(0, legend.Width, legend.Height, 0).AlignedInside(data, plot.Legend.Alignment, plot.Legend.Margin);
            // The legend casts a shadow a few pixels down and right.
            obstacles.Add(new(new LabelPlacement.Box(rect.Left, rect.Top, rect.Right + 4, rect.Bottom + 4)));
        }

        var texts = new ScottPlot.Plottables.Text[scores.Count];
        var labels = new LabelPlacement.Label[scores.Count];
        using (var paint = Paint.NewDisposablePaint())
        {
            for (int i = 0; i < scores.Count; i++)
            {
                var score = scores[i];
                var text = texts[i] = plot.Add.Text(
                    $"{score.Name}  {Percent(score.Accuracy, "0.00")}", Math.Log10(score.TrainSeconds), score.Accuracy * 100);
                text.LabelFontSize = ChartFont.CategorySize;
                text.LabelBold = true;
                text.LabelAlignment = Alignment.UpperLeft;
                var size = text.LabelStyle.Measure(text.LabelText, paint).Size;
                labels[i] = new LabelPlacement.Label(anchors[i].X, anchors[i].Y, size.Width, size.Height);
            }
        }

        var lines = references
            .Select(r => plot.GetPixel(new Coordinates(0, r)).Y)
            .Select(y => new LabelPlacement.Box(bounds.Left, y - 1, bounds.Right, y + 1))
            .ToArray();
        var placements = LabelPlacement.Place(labels, obstacles, bounds, lines, LabelOffset);
        for (int i = 0; i < scores.Count; i++)
        {
            var box = placements[i].Box;
            texts[i].LabelOffsetX = (float)(box.Left - anchors[i].X);
            texts[i].LabelOffsetY = (float)(box.Top - anchors[i].Y);
            if (!placements[i].Leader) continue;
            var (x1, y1, x2, y2) = LabelPlacement.Leader(box, labels[i]);
            // Start at the marker's edge rather than its centre, so the line points at the marker without crossing it.
            double length = Math.Sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
            double start = Math.Min(1, (MarkerSize / 2 + 1) / length);
            var from = plot.GetCoordinates(new Pixel((float)(x1 + (x2 - x1) * start), (float)(y1 + (y2 - y1) * start)));
            var to = plot.GetCoordinates(new Pixel((float)x2, (float)y2));
            var leader = plot.Add.Line(from, to);
            leader.LineColor = Colors.Gray;
            leader.LineWidth = 1;
            // Beneath everything else: where a leader runs along its own whisker, the whisker hides it.
            plot.MoveToBottom(leader);
        }
        return placements;
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
