using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Draws heatmaps as one rectangle per cell with its text centred on it, row 0 at the top. ScottPlot's own heatmap
/// takes one colour scale and no per-cell text; charts here need two scales (confusion matrix) or annotations (CV grid).
/// </summary>
internal static class HeatmapCells
{
    /// <summary>Adds the cell at (<paramref name="row"/>, <paramref name="column"/>), a unit square centred on (column, row).</summary>
    public static void Add(Plot plot, int row, int column, Color fill, string? text, float fontSize, bool bold = false)
    {
        var cell = plot.Add.Rectangle(column - 0.5, column + 0.5, row + 0.5, row - 0.5);
        cell.FillStyle.Color = fill;
        cell.LineStyle.Color = Colors.White;
        cell.LineStyle.Width = 1;
        if (text is null)
            return;
        var label = plot.Add.Text(text, column, row);
        label.LabelFontSize = fontSize;
        label.LabelFontColor = ChartPalette.TextOn(fill);
        label.LabelAlignment = Alignment.MiddleCenter;
        label.LabelBold = bold;
    }

    /// <summary>Labels the axes with one tick per row and column, fits the limits to the grid and turns the grid lines off.</summary>
    public static void SetAxes(Plot plot, IReadOnlyList<string> rowNames, string rowTitle, IReadOnlyList<string> columnNames, string columnTitle)
    {
        plot.Axes.Left.SetTicks(Positions(rowNames.Count), rowNames.ToArray());
        plot.Axes.Bottom.SetTicks(Positions(columnNames.Count), columnNames.ToArray());
        plot.Axes.Left.TickLabelStyle.FontSize = ChartFont.CategorySize;
        plot.Axes.Bottom.TickLabelStyle.FontSize = ChartFont.CategorySize;
        plot.Axes.Left.Label.Text = rowTitle;
        plot.Axes.Bottom.Label.Text = columnTitle;
        plot.Axes.SetLimits(-0.5, columnNames.Count - 0.5, rowNames.Count - 0.5, -0.5);
        plot.HideGrid();
    }

    /// <summary>A font size that fits a cell of a grid with <paramref name="cells"/> cells along its longer side.</summary>
    public static float FontSize(int cells) => Math.Clamp(200f / cells, 9f, 16f);

    private static double[] Positions(int count) => Enumerable.Range(0, count).Select(i => (double)i).ToArray();
}
