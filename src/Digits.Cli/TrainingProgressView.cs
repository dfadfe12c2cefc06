using Digits.Neural.Training;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// Shows a training run's progress: a live bar (loss, accuracy, images/s) on a terminal, the fixed epoch log line on
/// stderr under --verbose, nothing otherwise. Trainers without batches (the classical kinds) report nothing and show
/// no bar.
/// </summary>
internal static class TrainingProgressView
{
    public static T Run<T>(Terminal terminal, string label, Func<IProgress<TrainingProgress>?, T> train)
    {
        if (!terminal.ShowProgress)
            return train(null);
        int member = 0;
        void LogMember(TrainingProgress p)
        {
            if (p.Members > 1 && p.Member != member)
            {
                member = p.Member;
                terminal.Log($"ensemble member {member}/{p.Members} ({p.MemberSetup})");
            }
        }
        if (!terminal.Interactive)
        {
            return train(new InlineProgress(p =>
            {
                LogMember(p);
                if (p.EpochEnd is { } end)
                    terminal.Log(end.ToLogLine(p.Epochs));
            }));
        }

        T result = default!;
        terminal.Err.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                result = train(new InlineProgress(p =>
                {
                    if (p.Members > 1 && p.Member != member)
                        terminal.Err.WriteLine($"ensemble member {p.Member}/{p.Members} ({p.MemberSetup})");
                    string name = p.Members > 1 ? $"{label} {p.Member}/{p.Members}" : label;
                    if (task is null || p.Member != member)
                    {
                        if (task is not null)
                            task.Value = task.MaxValue;
                        member = p.Member;
                        task = ctx.AddTask(name, maxValue: (double)p.Epochs * p.Batches);
                    }
                    task.Value = (double)(p.Epoch - 1) * p.Batches + p.Batch;
                    task.Description = $"{name} epoch {p.Epoch}/{p.Epochs} loss {p.RunningLoss:F4} acc {p.RunningAccuracy * 100:F1}% {p.ImagesPerSecond:F0} img/s";
                    if (p.EpochEnd is { } end)
                        terminal.Err.WriteLine(end.ToLogLine(p.Epochs));
                }));
                if (task is not null)
                    task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
