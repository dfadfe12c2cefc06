using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// Shows progress through a known number of items (pictures rendered, images read): a live bar on a terminal, a log
/// line at every tenth under --verbose, nothing otherwise. Items may be reported from several threads.
/// </summary>
internal static class CountProgressView
{
    public static T Run<T>(Terminal terminal, string label, int total, Func<IProgress<int>?, T> work)
    {
        if (!terminal.ShowProgress || total <= 0)
            return work(null);
        if (!terminal.Interactive)
        {
            int lastTenth = 0;
            return work(new LockedProgress(done =>
            {
                int tenth = (int)(10L * done / total);
                if (tenth <= lastTenth)
                    return;
                lastTenth = tenth;
                terminal.Log($"{label}: {done:N0}/{total:N0}");
            }));
        }

        T result = default!;
        terminal.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: total);
                result = work(new LockedProgress(done => task.Value = Math.Max(task.Value, done)));
                task.Value = total;
            });
        return result;
    }

    /// <summary>Reports on the reporting thread, one report at a time.</summary>
    private sealed class LockedProgress(Action<int> report) : IProgress<int>
    {
        private readonly Lock gate = new();

        public void Report(int value)
        {
            lock (gate)
                report(value);
        }
    }
}
