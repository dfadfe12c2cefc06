using System.Diagnostics;
using Digits.Classical;
using Digits.Data;
using Digits.Tensors;

namespace Digits.Bench;

/// <summary>
/// Times the kernel SVM's fit on the first N training images (issue 6: 10k with C=5, γ=0.05 in at most 3 s) for each
/// split of 2 cores between pairs solved at once and threads per kernel GEMM, best of 3, with the fit's statistics.
/// Usage: <c>-- svm-fit DATA [N]</c>.
/// </summary>
internal static class SvmFitRun
{
    public static void Print(string[] args)
    {
        var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = args[0], AllowDownload = false });
        int n = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        LabeledImages train = store.LoadAsync(DatasetCatalog.Mnist).GetAwaiter().GetResult().Train.Take(n);
        foreach (var (pairs, gemm, blockRows) in new[] { (2, 1, 64), (1, 2, 64), (2, 1, 128), (1, 2, 128) })
        {
            WorkerPool.Threads = gemm;
            var trainer = new KernelSvmTrainer(new KernelSvmOptions { C = 5, Gamma = 0.05, Threads = pairs, BlockRows = blockRows });
            double best = double.MaxValue;
            for (int run = 0; run < 3; run++)
            {
                long start = Stopwatch.GetTimestamp();
                trainer.Fit(train);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            Console.WriteLine($"pairs at once {pairs}, GEMM threads {gemm}, block rows {blockRows}: best {best:F2} s, {trainer.LastStatistics}");
        }
    }
}
