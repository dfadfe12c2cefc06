using System.Globalization;
using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// A reliability diagram, as in Guo et al. 2017 (figure 1): for each confidence bin a bar of the accuracy of the
/// samples in it, a red bar from that accuracy to their mean confidence (the gap: above the blue bar where the model is
/// over-confident, over its top where it is under-confident), and the diagonal, where a perfectly calibrated model's
/// bars would end. Each bar is labelled with
/// its sample count, since on MNIST nearly every sample falls in the last bin and the bars of a few samples say little.
/// Empty bins are left out.
/// </summary>
public static class ReliabilityDiagramChart
{
    /// <summary>Renders the chart to a PNG file at <paramref name="path"/> (replaced atomically).</summary>
    /// <param name="bins">Bins of <see cref="CalibrationError.Bins"/>, covering 0–1.</param>
    /// <param name="title">For example <c>cnn-fast — test ECE 0.0041</c> (see <see cref="Title"/>).</param>
    public static void Save(IReadOnlyList<ReliabilityBin> bins, string path, string title, int width = 800, int height = 700)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (bins.Count == 0)
            throw new ArgumentException("has no bins", nameof(bins));
        PngFile.Save(Build(bins, title), path, width, height);
    }

    /// <summary>A title in the usual form: <c>{model} — {set} ECE 0.0041, accuracy 99.21%</c>.</summary>
    public static string Title(string model, string set, double ece, double accuracy) =>
        string.Create(CultureInfo.InvariantCulture, $"{model} — {set} ECE {ece:0.0000}, accuracy {accuracy * 100:0.00}%");

    internal static Plot Build(IReadOnlyList<ReliabilityBin> bins, string title)
    {
        var plot = new Plot();
        ChartFont.Apply(plot);
        var accuracyFill = ChartPalette.Shade(ChartPalette.Correct, 0.75);
        var gapFill = ChartPalette.Error.WithAlpha(0.3);
        foreach (var bin in bins.Where(b => b.Count > 0))
        {
            double centre = (bin.Low + bin.High) / 2, width = (bin.High - bin.Low) * 0.92;
            plot.Add.Bar(new Bar
            {
                Position = centre, Value = bin.Accuracy, ValueBase = 0, Size = width,
                FillColor = accuracyFill, LineColor = ChartPalette.Correct,
            });
            plot.Add.Bar(new Bar
            {
                Position = centre, Value = bin.MeanConfidence, ValueBase = bin.Accuracy, Size = width,
                FillColor = gapFill, LineColor = ChartPalette.Error,
            });
            var count = plot.Add.Text(bin.Count.ToString("N0", CultureInfo.InvariantCulture), centre, Math.Max(bin.Accuracy, bin.MeanConfidence) + 0.01);
            count.LabelFontSize = 11;
            count.LabelAlignment = Alignment.LowerCenter;
        }
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LineColor = Colors.Black;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LineWidth = 1.5f;

        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "accuracy of the bin", FillColor = accuracyFill, LineColor = ChartPalette.Correct });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "gap to the bin's mean confidence", FillColor = gapFill, LineColor = ChartPalette.Error });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "perfect calibration", LineColor = Colors.Black, LinePattern = LinePattern.Dashed, LineWidth = 1.5f });
        plot.ShowLegend(Alignment.UpperLeft);

        plot.Axes.Bottom.Label.Text = $"confidence (top probability, {bins.Count} bins; bar labels: images)";
        plot.Axes.Left.Label.Text = "accuracy";
        plot.Axes.SetLimits(0, 1, 0, 1.08);
        plot.Title(title);
        return plot;
    }
}
