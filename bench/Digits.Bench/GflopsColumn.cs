using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Digits.Bench;

/// <summary>
/// GFLOP/s of each benchmark (known flops over the fastest iteration) and, for GEMM, that figure as a fraction of
/// the <see cref="GemmPeakBenchmarks"/> result with the same thread count from the same run. The fastest iteration
/// rather than the mean, because the machine this was written on is shared: an iteration during which another
/// process held the core measures that process, not the kernel. Mean and Min stay in the table beside it.
/// </summary>
public sealed class GflopsColumn(bool asFractionOfPeak) : IColumn
{
    public string Id => asFractionOfPeak ? "PercentOfPeak" : "GFLOPs";
    public string ColumnName => asFractionOfPeak ? "% of peak (Min)" : "GFLOP/s (Min)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => asFractionOfPeak ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => asFractionOfPeak
        ? "GEMM GFLOP/s (Min) divided by the register-only FMA peak's GFLOP/s (Min) with the same thread count, same run"
        : "Billions of floating-point operations per second (2·M·N·K per multiply) in the fastest iteration";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? gflops = Gflops(summary, benchmarkCase);
        if (gflops is null)
        {
            return "-";
        }
        if (!asFractionOfPeak)
        {
            return gflops.Value.ToString("F1");
        }
        if (benchmarkCase.Parameters["Shape"] is null)
        {
            return "-";
        }
        var threads = benchmarkCase.Parameters["Threads"];
        BenchmarkCase? peak = summary.BenchmarksCases.FirstOrDefault(other =>
            other.Descriptor.WorkloadMethod.Name == nameof(GemmPeakBenchmarks.Peak) && Equals(other.Parameters["Threads"], threads));
        double? peakGflops = peak is null ? null : Gflops(summary, peak);
        return peakGflops is null ? "-" : (100 * gflops.Value / peakGflops.Value).ToString("F0") + "%";
    }

    private static double? Gflops(Summary summary, BenchmarkCase benchmarkCase)
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
