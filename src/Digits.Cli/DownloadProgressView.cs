using Digits.Data;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>Shows download progress: live bars on a terminal, a few plain lines under --verbose, nothing otherwise.</summary>
internal static class DownloadProgressView
{
    public static async Task<T> RunAsync<T>(Terminal terminal, Func<IProgress<DownloadProgress>?, Task<T>> work)
    {
        if (!terminal.ShowProgress)
            return await work(null);
        if (!terminal.Interactive)
        {
            var lastDecile = new Dictionary<string, long>();
            var lines = new SyncProgress<DownloadProgress>(p =>
            {
                long decile = p.TotalBytes is > 0 ? p.BytesReceived * 10 / p.TotalBytes.Value : -1;
                if (lastDecile.TryGetValue(p.FileName, out long seen) && seen == decile)
                    return;
                lastDecile[p.FileName] = decile;
                terminal.Log($"download {p.FileName}: {p.BytesReceived / 1024} KiB{(p.TotalBytes is { } t ? $" of {t / 1024} KiB" : "")} from {p.Mirror}");
            });
            return await work(lines);
        }

        T result = default!;
        await terminal.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var bars = new SyncProgress<DownloadProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.FileName, out var task))
                        tasks[p.FileName] = task = ctx.AddTask(p.FileName, maxValue: p.TotalBytes ?? 1);
                    if (p.TotalBytes is { } total)
                        task.MaxValue = total;
                    task.Value = p.BytesReceived;
                });
                result = await work(bars);
                foreach (var t in tasks.Values)
                    t.Value = t.MaxValue;
            });
        return result;
    }

    /// <summary>An IProgress that reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock gate = new();

        public void Report(T value)
        {
            lock (gate)
                report(value);
        }
    }
}
