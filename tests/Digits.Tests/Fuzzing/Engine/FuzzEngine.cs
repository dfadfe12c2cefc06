using System.Diagnostics;

namespace Digits.Fuzzing;

/// <summary>
/// A deterministic mutation fuzzer. Case n of seed s starts from one of the target's valid files, chosen and edited
/// by a <see cref="Random"/> seeded from (s, n) alone, so any case replays on its own with <see cref="Mutate"/>.
/// Each case runs on a thread of its own, so that a hang is reported after <see cref="Timeout"/> instead of
/// stopping the run, and so that the bytes the case allocated can be counted on that thread.
/// </summary>
public static class FuzzEngine
{
    /// <summary>The longest one case may take before it counts as a hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs cases 0 to <paramref name="cases"/> − 1 of <paramref name="seed"/>.</summary>
    /// <param name="progress">Called after each case with the report so far; may be null.</param>
    public static FuzzReport Run(FuzzTarget target, int seed, int cases, Action<FuzzReport>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var report = new FuzzReport(target.Format, target.Stages);
        for (int n = 0; n < cases; n++)
        {
            RunCase(target, seed, n, report);
            progress?.Invoke(report);
        }
        return report;
    }

    /// <summary>The file of case <paramref name="caseNumber"/> of <paramref name="seed"/>.</summary>
    public static byte[] Mutate(FuzzTarget target, int seed, int caseNumber)
    {
        var random = new Random(unchecked(seed * 1_000_003 + caseNumber));
        byte[] file = target.Seeds[random.Next(target.Seeds.Count)];
        int edits = 1 + random.Next(3);
        for (int i = 0; i < edits; i++)
        {
            file = random.Next(8) switch
            {
                0 or 1 or 2 => target.EditStructure(file, random),
                3 or 4 => FlipBytes(file, random),
                5 => Truncate(file, random),
                6 => Append(file, random),
                _ => CopyRange(file, random),
            };
        }
        return file;
    }

    private static void RunCase(FuzzTarget target, int seed, int caseNumber, FuzzReport report)
    {
        byte[] file = Mutate(target, seed, caseNumber);
        var stages = new HashSet<string>();
        bool success = false;
        string? problem = null;
        long allocated = 0;
        var worker = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                target.Run(file, stage => { lock (stages) stages.Add(stage); });
                success = true;
            }
            catch (DigitsException)
            {
                // A clean refusal: what every broken file should get.
            }
            catch (Exception e)
            {
                problem = $"{e.GetType().Name}: {e.Message}";
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }, maxStackSize: 16 << 20) { IsBackground = true };
        var clock = Stopwatch.StartNew();
        worker.Start();
        bool finished = worker.Join(Timeout);
        double milliseconds = clock.Elapsed.TotalMilliseconds;
        long limit = target.MemoryLimit(file);
        if (!finished)
            problem = $"hang: still running after {Timeout.TotalSeconds:0} s";
        else if (problem is null && allocated > limit)
            problem = $"allocated {allocated / 1e6:0.0} MB, over the limit of {limit / 1e6:0.0} MB for a {file.Length}-byte file";
        HashSet<string> reachedCopy;
        lock (stages)
            reachedCopy = [.. stages];
        report.Add(caseNumber, reachedCopy, success, problem is null ? null : new FuzzFailure(seed, caseNumber, problem), milliseconds);
    }

    private static byte[] FlipBytes(byte[] file, Random random)
    {
        byte[] copy = (byte[])file.Clone();
        if (copy.Length == 0)
            return copy;
        int flips = 1 + random.Next(8);
        for (int i = 0; i < flips; i++)
        {
            int at = random.Next(copy.Length);
            copy[at] = random.Next(3) switch
            {
                0 => (byte)(copy[at] ^ (1 << random.Next(8))),
                1 => (byte)random.Next(256),
                _ => random.Next(2) == 0 ? (byte)0 : (byte)0xFF,
            };
        }
        return copy;
    }

    private static byte[] Truncate(byte[] file, Random random) =>
        file.Length == 0 ? file : file[..random.Next(file.Length)];

    private static byte[] Append(byte[] file, Random random)
    {
        var tail = new byte[1 + random.Next(64)];
        random.NextBytes(tail);
        return [.. file, .. tail];
    }

    /// <summary>Overwrites a range with bytes copied from elsewhere in the file: repeats a chunk, a header, an entry.</summary>
    private static byte[] CopyRange(byte[] file, Random random)
    {
        if (file.Length < 2)
            return file;
        byte[] copy = (byte[])file.Clone();
        int length = 1 + random.Next(Math.Min(64, file.Length - 1));
        int from = random.Next(file.Length - length + 1), to = random.Next(file.Length - length + 1);
        Array.Copy(file, from, copy, to, length);
        return copy;
    }
}
