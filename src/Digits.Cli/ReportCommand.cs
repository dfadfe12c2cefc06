using System.CommandLine;
using System.Globalization;
using Digits.Data;
using Digits.Reporting;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// <c>digits report [--out results/]</c>: the published notebook's study (logistic regression, an SVM on the first
/// 10,000 images, a CNN) run again in one command by the library's <see cref="StudyReport"/>, written to a folder as
/// results.json, results.md and pictures. The command maps flags to a <see cref="StudyPlan"/> and renders progress and
/// the table.
/// </summary>
internal static class ReportCommand
{
    private static readonly Option<string> Out = new("--out", "-o") { Description = "Folder for results.json, results.md, the pictures and models/ (created if missing)", DefaultValueFactory = _ => "results", HelpName = "DIR" };
    private static readonly Option<double> Scale = new("--scale")
    {
        Description = $"Shrink every stage's training images by this factor for a quick run, e.g. 0.05 ({StudyPlan.MinScale} to 1; the test set stays whole)",
        DefaultValueFactory = _ => 1.0,
        HelpName = "F",
    };

    private static readonly Option<bool> Full = new("--full")
    {
        Description = "Every model at its best (deskewed linear models, the RBF SVM on all 60k plain and with virtual support vectors, the cnn recipe, the ensemble via --reuse): about 20 minutes on 2 cores",
    };
    private static readonly Option<string?> Reuse = new("--reuse")
    {
        Description = "With --full: a folder of models from digits train cnn --ensemble N; the one whose recipe and training images match fills the ensemble row (it is not trained by the report)",
        HelpName = "DIR",
    };

    public static Command Create()
    {
        var cmd = new Command("report", "Run the published notebook's study again (logreg on 60k, an RBF SVM tuned by CV on the first 10k, cnn-fast on 60k; with --full every model at its best) and write results.json, results.md and charts");
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(Out);
        cmd.Options.Add(Scale);
        cmd.Options.Add(Full);
        cmd.Options.Add(Reuse);
        cmd.Options.Add(TrainingRun.Seed);
        cmd.Options.Add(TrainingRun.Threads);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            double scale = parsed.GetValue(Scale);
            bool full = parsed.GetValue(Full);
            string? reuse = parsed.GetValue(Reuse);
            StudyPlan.ValidateScale(scale);
            StudyPlan.ValidateReuse(full, reuse);
            TrainingRun.ApplyThreads(parsed);

            StudyOutputs outputs = null!;
            var loaded = await DataCommands.LoadAsync(parsed, terminal, DatasetCatalog.Mnist, ct, dataFiles =>
                outputs = StudyOutputs.Check(parsed.GetValue(Out)!, "--out", StudyReport.ModelNames(full), dataFiles));
            var testSet = DataCommands.CheckTestSet(loaded);
            var plan = new StudyPlan
            {
                Data = loaded,
                Outputs = outputs,
                Scale = scale,
                Full = full,
                ReuseFolder = reuse,
                Seed = parsed.GetValue(TrainingRun.Seed),
                TestSetName = testSet.Words,
                Command = "digits " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            };
            var report = StudyReport.Prepare(plan);
            var result = ReportProgressView.Run(terminal, report.Stages, progress => report.Run(progress, ct));
            foreach (var file in result.Files)
                Terminal.Wrote(file.Path);

            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(StudyDocument.ToJsonObject(plan, result));
                return result.Interrupted ? CommandRunner.Interrupted : CommandRunner.Ok;
            }
            var c = CultureInfo.InvariantCulture;
            var table = new Table().Border(TableBorder.Rounded).AddColumn("model")
                .AddColumn(new TableColumn("ours").RightAligned()).AddColumn(new TableColumn("published").RightAligned())
                .AddColumn(new TableColumn("95% CI").RightAligned()).AddColumn(new TableColumn("train s").RightAligned())
                .AddColumn(new TableColumn("predict s").RightAligned());
            foreach (var (model, stage) in StudyDocument.Rows(result))
            {
                if (model is not { } m)
                {
                    table.AddRow(Markup.Escape(stage!.Name), "[grey]not run[/]", StudyReport.Published(stage.Name) is { } pub ? (pub.Accuracy * 100).ToString("0.0", c) + "%" : "", "", "", "");
                    continue;
                }
                string ours = (m.Test.Accuracy * 100).ToString("0.00", c) + "%";
                table.AddRow(
                    Markup.Escape($"{m.Name} ({m.TrainCount:N0} images{(m.Reused ? ", reused" : "")})"),
                    m.BeatsPublished == true ? $"[green bold]{ours}[/]" : ours,
                    m.Published is double p ? (p * 100).ToString("0.0", c) + "%" : "",
                    string.Create(c, $"{m.Test.AccuracyCi95[0] * 100:0.00}–{m.Test.AccuracyCi95[1] * 100:0.00}%"),
                    m.TrainSeconds.ToString("F2", c),
                    m.PredictSeconds.ToString("F2", c));
            }
            terminal.Out.Write(table);
            foreach (string note in result.Notes)
                terminal.Out.MarkupLineInterpolated($"[grey]note: {note}[/]");
            if (result.Interrupted)
                terminal.Out.MarkupLineInterpolated($"[yellow]interrupted[/]: not run: {string.Join(", ", result.NotRun)}; the finished stages are in {Path.Combine(outputs.Folder, "results.md")}");
            else
                terminal.Out.MarkupLineInterpolated($"report in {result.Seconds:F1} s: {Path.Combine(outputs.Folder, "results.md")}");
            return result.Interrupted ? CommandRunner.Interrupted : CommandRunner.Ok;
        });
        return cmd;
    }
}
