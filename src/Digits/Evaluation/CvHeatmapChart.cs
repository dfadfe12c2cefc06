using System.Globalization;
using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Mean cross-validation accuracy over a two-parameter grid (e.g. an RBF SVM's C by gamma), one annotated cell per
/// pair, the best cell outlined. The colour scale runs from the worst to the best cell tried, not from 0 to 100%,
/// so the good region stands out even when every cell is above 95%.
/// </summary>
public static class CvHeatmapChart
{
    /// <summary>Renders the chart to a PNG file at <paramref name="path"/> (replaced atomically).</summary>
    /// <param name="rowParameter">Name of the parameter that varies down the rows, e.g. <c>C</c>.</param>
    /// <param name="rowValues">Its values, first row at the top.</param>
    /// <param name="columnParameter">Name of the parameter that varies across the columns, e.g. <c>gamma</c>.</param>
    /// <param name="columnValues">Its values, left to right.</param>
    /// <param name="meanAccuracy">[row, column] mean CV accuracy, fractions 0–1; NaN for a pair not tried (random search).</param>
    public static void Save(
        string rowParameter, IReadOnlyList<double> rowValues, string columnParameter, IReadOnlyList<double> columnValues,
        double[,] meanAccuracy, string path, string title, int width = 800, int height = 640)
    {
        ArgumentNullException.ThrowIfNull(rowValues);
        ArgumentNullException.ThrowIfNull(columnValues);
        ArgumentNullException.ThrowIfNull(meanAccuracy);
        if (meanAccuracy.GetLength(0) != rowValues.Count || meanAccuracy.GetLength(1) != columnValues.Count)
        {
            throw new ArgumentException(
                $"is {meanAccuracy.GetLength(0)}×{meanAccuracy.GetLength(1)}, expected {rowValues.Count}×{columnValues.Count}",
                nameof(meanAccuracy));
        }
        if (rowValues.Count == 0 || columnValues.Count == 0)
            throw new ArgumentException("has no cells", nameof(meanAccuracy));
        PngFile.Save(Build(rowParameter, rowValues, columnParameter, columnValues, meanAccuracy, title), path, width, height);
    }

    internal static Plot Build(
        string rowParameter, IReadOnlyList<double> rowValues, string columnParameter, IReadOnlyList<double> columnValues,
        double[,] meanAccuracy, string title)
    {
        var tried = meanAccuracy.Cast<double>().Where(double.IsFinite).ToArray();
        double worst = tried.Length == 0 ? 0 : tried.Min(), best = tried.Length == 0 ? 1 : tried.Max();
        var colormap = new ScottPlot.Colormaps.Viridis();

        var plot = new Plot();
        ChartFont.Apply(plot);
        float fontSize = HeatmapCells.FontSize(Math.Max(rowValues.Count, columnValues.Count));
        (int Row, int Column)? bestCell = null;
        for (int r = 0; r < rowValues.Count; r++)
        {
            for (int c = 0; c < columnValues.Count; c++)
            {
                double accuracy = meanAccuracy[r, c];
                if (!double.IsFinite(accuracy))
                {
                    HeatmapCells.Add(plot, r, c, Colors.LightGray, "–", fontSize);
                    continue;
                }
                double position = best > worst ? (accuracy - worst) / (best - worst) : 1;
                bool isBest = accuracy == best && bestCell is null;
                if (isBest)
                    bestCell = (r, c);
                HeatmapCells.Add(plot, r, c, colormap.GetColor(position),
                    (accuracy * 100).ToString("0.0", CultureInfo.InvariantCulture), fontSize, bold: isBest);
            }
        }

        if (bestCell is var (row, column))
        {
            var outline = plot.Add.Rectangle(column - 0.47, column + 0.47, row + 0.47, row - 0.47);
            outline.FillStyle.Color = Colors.Transparent;
            outline.LineStyle.Color = ChartPalette.Error;
            outline.LineStyle.Width = 3;
        }

        HeatmapCells.SetAxes(
            plot, rowValues.Select(ParameterSweepChart.Format).ToArray(), rowParameter,
            columnValues.Select(ParameterSweepChart.Format).ToArray(), $"{columnParameter}    (cells: mean CV accuracy, %)");
        plot.Title(title);
        return plot;
    }
}
