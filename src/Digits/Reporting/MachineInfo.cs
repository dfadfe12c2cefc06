using System.Globalization;
using System.Runtime.InteropServices;

namespace Digits.Reporting;

/// <summary>
/// The machine a report ran on, so that its times can be read: processor, cores, runtime, and how busy the machine was
/// when the report started (a time measured beside other work is not a quiet time).
/// </summary>
/// <param name="LoadAverage">The 1-, 5- and 15-minute load averages at the start (Linux), or null where unknown.</param>
public sealed record MachineInfo(string Cpu, int Cores, string Dotnet, string Os, IReadOnlyList<double>? LoadAverage)
{
    public static MachineInfo Current() => new(
        CpuName() ?? RuntimeInformation.ProcessArchitecture.ToString(), Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, LoadAverageNow());

    /// <summary>The processor's model name from /proc/cpuinfo (Linux); null elsewhere.</summary>
    private static string? CpuName()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double[]? LoadAverageNow()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return parts.Length >= 3 ? [.. parts[..3].Select(p => double.Parse(p, CultureInfo.InvariantCulture))] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
