using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Digits.Bench;

/// <summary>The figures a GEMM benchmark is judged by, computed from the fastest iteration (see <see cref="GflopsFigure"/>).</summary>
public enum GflopsFigure
{
    /// <summary>Flops over the fastest iteration's time per operation.</summary>
    Achieved,

    /// <summary>The FMA peak measured in the same process just before the case ran (<see cref="GemmBenchmarks.PeakAtSetup"/>).</summary>
    PeakAtSetup,

    /// <summary>Achieved over PeakAtSetup.</summary>
    FractionOfPeak,
}

/// <summary>
/// GFLOP/s columns. They use the fastest iteration rather than the mean because the machine this was written on
/// is shared: an iteration during which another process held the core measures that process, not the kernel.
/// Mean and Min stay in the table beside them.
/// </summary>
public sealed class GflopsColumn(GflopsFigure figure) : IColumn
{
    public string Id => figure.ToString();
    public string ColumnName => figure switch
    {
        GflopsFigure.Achieved => "GFLOP/s (Min)",
        GflopsFigure.PeakAtSetup => "Peak GFLOP/s",
        _ => "% of peak",
    };
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => (int)figure;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => figure switch
    {
        GflopsFigure.Achieved => "Billions of floating-point operations per second (2·M·N·K per multiply) in the fastest iteration",
        GflopsFigure.PeakAtSetup => "Register-only Vector512 FMA loop, same thread count, best of 30 runs in this case's setup",
        _ => "GFLOP/s (Min) divided by Peak GFLOP/s",
    };

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? achieved = Achieved(summary, benchmarkCase);
        double? peak = GemmBenchmarks.PeakAtSetup.TryGetValue(Key(benchmarkCase), out double value) ? value : null;
        return figure switch
        {
            GflopsFigure.Achieved => achieved?.ToString("F1") ?? "-",
            GflopsFigure.PeakAtSetup => peak?.ToString("F1") ?? "-",
            _ => achieved is null || peak is null ? "-" : (100 * achieved.Value / peak.Value).ToString("F0") + "%",
        };
    }

    private static string Key(BenchmarkCase benchmarkCase) =>
        GemmBenchmarks.Key(benchmarkCase.Parameters["Shape"], benchmarkCase.Parameters["Path"], benchmarkCase.Parameters["Threads"]);

    private static double? Achieved(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? fastestNs = summary[benchmarkCase]?.ResultStatistics?.Min;
        if (fastestNs is null)
        {
            return null;
        }
        double flops = benchmarkCase.Parameters["Shape"] is GemmShape shape
            ? shape.Flops
            : PeakFma.FlopsPerThread * (int)benchmarkCase.Parameters["Threads"];
        return flops / fastestNs.Value;
    }
}
