using System.Globalization;
using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Accuracy against one hyperparameter, for a regularization sweep. Regularization strengths are tried in powers of
/// ten, so the x axis is logarithmic: the chart plots log10 of each value and labels the ticks with the values
/// themselves. A shaded band shows ±1 standard deviation over folds, and the best value is marked and named.
/// </summary>
public static class ParameterSweepChart
{
    /// <summary>Renders the chart to a PNG file at <paramref name="path"/> (replaced atomically).</summary>
    /// <param name="parameter">The hyperparameter's name for the x axis, e.g. <c>C</c>.</param>
    /// <param name="points">At least one point; all values must be positive for the log axis.</param>
    /// <param name="title">For example <c>linear-svm: validation accuracy vs C</c>.</param>
    public static void Save(
        string parameter, IReadOnlyList<ParameterSweepPoint> points, string path, string title, int width = 800, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
            throw new ArgumentException("has no points", nameof(points));
        if (points.Any(p => !(p.Value > 0)))
            throw new ArgumentException("has a value that is not positive, which a log axis cannot show", nameof(points));
        PngFile.Save(Build(parameter, points, title), path, width, height);
    }

    internal static Plot Build(string parameter, IReadOnlyList<ParameterSweepPoint> points, string title)
    {
        var sorted = points.OrderBy(p => p.Value).ToArray();
        double[] xs = sorted.Select(p => Math.Log10(p.Value)).ToArray();
        double[] ys = sorted.Select(p => p.Accuracy * 100).ToArray();

        var plot = new Plot();
        ChartFont.Apply(plot);
        if (sorted.Any(p => p.StandardDeviation > 0))
        {
            var band = plot.Add.FillY(
                xs, sorted.Select(p => (p.Accuracy - p.StandardDeviation) * 100).ToArray(),
                sorted.Select(p => (p.Accuracy + p.StandardDeviation) * 100).ToArray());
            band.FillStyle.Color = ChartPalette.Correct.WithAlpha(0.18);
            band.LineStyle.Width = 0;
            band.LegendText = "±1 std over folds";
        }
        var line = plot.Add.Scatter(xs, ys, ChartPalette.Correct);
        line.LineWidth = 2;
        line.MarkerSize = 7;
        line.LegendText = "accuracy";

        int best = Array.IndexOf(ys, ys.Max());
        var mark = plot.Add.Marker(xs[best], ys[best], MarkerShape.FilledCircle, 13, ChartPalette.Error);
        mark.LegendText = $"best: {parameter} = {Format(sorted[best].Value)}, {ys[best].ToString("0.00", CultureInfo.InvariantCulture)}%";

        plot.Axes.Bottom.SetTicks(TickPositions(xs), TickPositions(xs).Select(x => Format(Math.Pow(10, x))).ToArray());
        plot.Axes.Bottom.Label.Text = $"{parameter} (log scale)";
        plot.Axes.Left.Label.Text = "accuracy (%)";
        plot.Axes.Margins(horizontal: 0.06, vertical: 0.12);
        plot.Title(title);
        plot.ShowLegend(Alignment.LowerCenter);
        return plot;
    }

    /// <summary>Whole decades across the data when it spans two or more; otherwise the data values themselves.</summary>
    private static double[] TickPositions(double[] logValues)
    {
        double low = Math.Ceiling(logValues[0] - 1e-9), high = Math.Floor(logValues[^1] + 1e-9);
        if (high - low < 2)
            return logValues;
        int step = (int)Math.Ceiling((high - low + 1) / 10);
        var ticks = new List<double>();
        for (double x = low; x <= high; x += step)
            ticks.Add(x);
        return ticks.ToArray();
    }

    /// <summary>A parameter value as people write it: 0.001, 0.5, 10, 1e+06.</summary>
    internal static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
