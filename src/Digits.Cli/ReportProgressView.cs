using System.Diagnostics;
using System.Globalization;
using Digits.Reporting;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// Shows a study report's progress: on a terminal, a row for the whole report with the estimated time left, and one live
/// row per stage (the plan is visible from the start) with its bar where the stage has steps, a spinner where it has
/// none, and its elapsed and remaining time, with each stage's sentence, epoch and
/// trial lines and result printed above the rows; under --verbose without a terminal,
/// fixed log lines (<c>stage 2/4 svm-tuning: …</c>, each epoch's and trial's line, <c>stage 2/4 svm-tuning done in
/// 14.2s: …</c>); nothing otherwise.
/// </summary>
internal static class ReportProgressView
{
    public static T Run<T>(Terminal terminal, IReadOnlyList<StudyStage> stages, Func<IProgress<StudyProgress>?, T> run)
    {
        if (!terminal.ShowProgress)
            return run(null);
        var gate = new Lock();
        if (!terminal.Interactive)
        {
            var clocks = new Dictionary<int, long>();
            return run(new InlineProgress(p =>
            {
                lock (gate)
                {
                    string stage = $"stage {p.Stage.Number}/{stages.Count} {p.Stage.Name}";
                    switch (p.Event)
                    {
                        case StudyEvent.Started:
                            clocks[p.Stage.Number] = Stopwatch.GetTimestamp();
                            terminal.Log($"{stage}: {p.Stage.What}");
                            break;
                        case StudyEvent.Finished:
                            double seconds = clocks.TryGetValue(p.Stage.Number, out long started) ? Stopwatch.GetElapsedTime(started).TotalSeconds : 0;
                            terminal.Log(string.Create(CultureInfo.InvariantCulture, $"{stage} done in {seconds:F1}s: {p.Line}"));
                            break;
                        default:
                            if (p.Line is not null)
                                terminal.Log(p.Line);
                            break;
                    }
                }
            }));
        }

        T result = default!;
        terminal.Err.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 30 }, new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                // The whole report's row: each stage counts by its expected share of the time, so the time left it shows
                // is the time the finished work took, scaled to the work still to do.
                var overall = ctx.AddTask(Markup.Escape($"all {stages.Count} stages"), maxValue: Math.Max(stages.Sum(s => s.ExpectedSeconds), 1e-9));
                double finishedWeight = 0;
                var tasks = stages.ToDictionary(s => s.Number, s => ctx.AddTask(Markup.Escape(Describe(s, stages.Count)), autoStart: false));
                result = run(new InlineProgress(p =>
                {
                    lock (gate)
                    {
                        var task = tasks[p.Stage.Number];
                        if (p.Total > 0)
                        {
                            task.IsIndeterminate = false;
                            task.MaxValue = p.Total;
                            task.Value = p.Done;
                            overall.Value = finishedWeight + p.Stage.ExpectedSeconds * Math.Clamp(p.Done / p.Total, 0, 1);
                        }
                        switch (p.Event)
                        {
                            case StudyEvent.Started:
                                task.IsIndeterminate = p.Total <= 0;
                                task.StartTask();
                                terminal.Err.WriteLine($"{Describe(p.Stage, stages.Count)}: {p.Stage.What}");
                                break;
                            case StudyEvent.Finished:
                                task.IsIndeterminate = false;
                                task.Value = task.MaxValue;
                                task.Description = Markup.Escape($"{Describe(p.Stage, stages.Count)} done");
                                task.StopTask();
                                finishedWeight += p.Stage.ExpectedSeconds;
                                overall.Value = finishedWeight;
                                terminal.Err.WriteLine($"{Describe(p.Stage, stages.Count)} done: {p.Line}");
                                break;
                        }
                        if (p.Event == StudyEvent.Advanced && p.Line is not null)
                            terminal.Err.WriteLine(p.Line);
                    }
                }));
            });
        return result;
    }

    /// <summary>A stage's short name for its live row, e.g. <c>2/4 svm-tuning</c>; the sentence is printed above the rows
    /// when the stage starts, so the rows fit an 80-column terminal.</summary>
    private static string Describe(StudyStage stage, int stages) => $"{stage.Number}/{stages} {stage.Name}";

    private sealed class InlineProgress(Action<StudyProgress> report) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => report(value);
    }
}
