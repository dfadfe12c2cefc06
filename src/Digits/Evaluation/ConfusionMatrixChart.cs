using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Draws a <see cref="ConfusionMatrix"/> as a grid of annotated cells: rows are true classes (first at the top),
/// columns predicted classes. Correct cells (the diagonal) are blue, shaded by recall; errors are red, shaded by the
/// log of their count relative to the largest error. With MNIST the diagonal holds ~1,000 per class and errors
/// 0–20, so one linear colour scale would paint every error white: two scales keep both readable and make the
/// mistakes stand out. Empty error cells are left blank.
/// </summary>
public static class ConfusionMatrixChart
{
    /// <summary>
    /// Renders the chart to a PNG file at <paramref name="path"/> (replaced atomically).
    /// </summary>
    /// <param name="title">For example <c>cnn — test accuracy 99.21%</c>.</param>
    /// <param name="normalizeRows">Annotate each cell with its percentage of the true class instead of its count.</param>
    public static void Save(
        ConfusionMatrix matrix, string path, string title, bool normalizeRows = false, int width = 800, int height = 760)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        PngFile.Save(Build(matrix, title, normalizeRows), path, width, height);
    }

    /// <summary>A title in the usual form: <c>{model} — {set} accuracy 99.21%</c>.</summary>
    public static string Title(string model, string set, double accuracy) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{model} — {set} accuracy {accuracy * 100:0.00}%");

    internal static Plot Build(ConfusionMatrix matrix, string title, bool normalizeRows)
    {
        int n = matrix.ClassCount;
        int largestError = 0;
        for (int t = 0; t < n; t++)
        {
            for (int p = 0; p < n; p++)
            {
                if (t != p)
                    largestError = Math.Max(largestError, matrix[t, p]);
            }
        }

        var plot = new Plot();
        ChartFont.Apply(plot);
        float fontSize = HeatmapCells.FontSize(n);
        for (int t = 0; t < n; t++)
        {
            int support = matrix.Support(t);
            for (int p = 0; p < n; p++)
            {
                int count = matrix[t, p];
                double shade = t == p
                    ? 0.35 + 0.65 * matrix.Recall(t)
                    : count == 0 ? 0 : 0.15 + 0.85 * Math.Log(1 + count) / Math.Log(1 + largestError);
                var fill = ChartPalette.Shade(t == p ? ChartPalette.Correct : ChartPalette.Error, shade);
                string? text = count == 0 && t != p ? null : CellText(count, support, normalizeRows);
                HeatmapCells.Add(plot, t, p, fill, text, fontSize, bold: t == p);
            }
        }

        HeatmapCells.SetAxes(
            plot, matrix.Labels, "true", matrix.Labels, normalizeRows ? "predicted (cells: % of true class)" : "predicted");
        plot.Title(title);
        return plot;
    }

    private static string CellText(int count, int support, bool normalizeRows) =>
        !normalizeRows
            ? count.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : support == 0 ? "–" : (100.0 * count / support).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
