using System.Diagnostics;
using Digits.Fuzzing;

namespace Digits.Bench;

/// <summary>
/// The long fuzzing run: <c>fuzz [CASES] [SEED] [FORMAT...]</c>, CASES per format (default 100,000) of the mutation
/// fuzzer that the tests run 300 cases of. Prints each format's report: cases, clean errors, successes, cases past
/// each stage, the slowest case, and every failure with the seed and case number that replay it.
/// </summary>
internal static class FuzzRun
{
    public static void Print(string[] args)
    {
        int cases = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        int seed = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        string[] formats = args.Length > 2 ? args[2..] : ["idx", "image", "safetensors"];
        foreach (string format in formats)
        {
            FuzzTarget target = format switch
            {
                "idx" => new IdxFuzzTarget(),
                "image" => new ImageFuzzTarget(),
                "safetensors" => new ModelFuzzTarget(),
                _ => throw new ArgumentException($"unknown format '{format}', expected idx, image or safetensors"),
            };
            var clock = Stopwatch.StartNew();
            FuzzReport report = FuzzEngine.Run(target, seed, cases, progress =>
            {
                if (progress.Cases % 10_000 == 0)
                    Console.Error.WriteLine($"{format}: {progress.Cases} cases, {progress.Failures.Count} failures, {clock.Elapsed.TotalSeconds:0} s");
            });
            Console.Write(report);
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds:0} s");
        }
    }
}
