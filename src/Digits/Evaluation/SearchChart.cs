using Digits.Tuning;

namespace Digits.Evaluation;

/// <summary>
/// The picture of a parameter search: for one parameter, CV accuracy against its value with ±1 standard deviation
/// (<see cref="ParameterSweepChart"/>); for two, a heatmap of CV accuracy over the grid (<see cref="CvHeatmapChart"/>),
/// where a random search leaves the cells it did not try empty.
/// </summary>
public static class SearchChart
{
    public static void Save(ParameterGrid grid, SearchResult result, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(result);
        if (grid.Axes.Count == 1)
        {
            string name = grid.Axes[0].Name;
            var points = result.Trials.OrderBy(t => t.Parameters[name]).Select(t => new ParameterSweepPoint(t.Parameters[name], t.CvMean, t.CvStd)).ToArray();
            ParameterSweepChart.Save(name, points, path, title);
            return;
        }
        var (rowName, rows) = grid.Axes[0];
        var (columnName, columns) = grid.Axes[1];
        var mean = new double[rows.Length, columns.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                var trials = result.Trials.Where(t => t.Parameters[rowName] == rows[r] && t.Parameters[columnName] == columns[c]).ToArray();
                mean[r, c] = trials.Length == 0 ? double.NaN : trials.Max(t => t.CvMean);
            }
        }
        CvHeatmapChart.Save(rowName, rows, columnName, columns, mean, path, title);
    }
}
