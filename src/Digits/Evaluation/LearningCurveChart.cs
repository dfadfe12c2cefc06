using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Loss and accuracy per epoch, training against validation, as two panels side by side: the gap between the two
/// lines shows over-fitting, and the accuracy panel shows when more epochs stop paying. Two panels rather than two
/// y axes because loss and accuracy move in opposite directions and on different scales. The legend says when each
/// figure is measured: training figures are means over the epoch's batches (with dropout and augmentation on, while the
/// weights still move), validation figures come after the epoch, which is why validation can beat training early on.
/// </summary>
public static class LearningCurveChart
{
    /// <summary>Renders the chart to a PNG file at <paramref name="path"/> (replaced atomically).</summary>
    /// <param name="curve">One point per epoch, in epoch order; at least one.</param>
    /// <param name="title">Names the run, e.g. <c>cnn</c>; each panel's title adds what it shows.</param>
    public static void Save(IReadOnlyList<LearningCurvePoint> curve, string path, string title, int width = 1100, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Count == 0)
            throw new ArgumentException("has no epochs", nameof(curve));
        PngFile.Save(Build(curve, title), path, width, height);
    }

    internal static Multiplot Build(IReadOnlyList<LearningCurvePoint> curve, string title)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        double[] epochs = curve.Select(p => (double)p.Epoch).ToArray();

        Panel(multiplot.GetPlot(0), $"{title}: loss", "loss (cross-entropy, nats)", epochs,
            curve.Select(p => p.TrainLoss), curve.Select(p => p.ValidationLoss), Alignment.UpperRight);
        Panel(multiplot.GetPlot(1), $"{title}: accuracy", "accuracy (%)", epochs,
            curve.Select(p => 100 * p.TrainAccuracy), curve.Select(p => 100 * p.ValidationAccuracy), Alignment.LowerRight);
        return multiplot;
    }

    private static void Panel(
        Plot plot, string title, string yLabel, double[] epochs, IEnumerable<double> train, IEnumerable<double?> validation,
        Alignment legend)
    {
        ChartFont.Apply(plot);
        Line(plot, epochs, train.ToArray(), ChartPalette.Correct, "train (mean over the epoch)");
        double?[] validationValues = validation.ToArray();
        if (validationValues.All(v => v.HasValue))
            Line(plot, epochs, validationValues.Select(v => v!.Value).ToArray(), ChartPalette.Second, "validation (after the epoch)");

        plot.Title(title);
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = yLabel;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Margins(horizontal: 0.05, vertical: 0.1);
        plot.ShowLegend(legend);
    }

    private static void Line(Plot plot, double[] xs, double[] ys, Color color, string legend)
    {
        var line = plot.Add.Scatter(xs, ys, color);
        line.LineWidth = 2;
        line.MarkerSize = xs.Length <= 30 ? 6 : 0;
        line.LegendText = legend;
    }
}
