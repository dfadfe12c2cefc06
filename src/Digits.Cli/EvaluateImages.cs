using System.CommandLine;
using Digits.Data;
using Digits.Evaluation;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// <c>digits evaluate MODEL --images DIR</c>: a model on a labelled image folder (labels.csv or one subfolder per
/// label), each picture through the library's one input pipeline (<see cref="Imaging.DigitInput"/>), with accuracy per
/// group (per font for a synth-fonts set) and every picture where no digit was found listed.
/// </summary>
internal static class EvaluateImages
{
    /// <summary>How many unscored pictures the text output lists; --json lists them all.</summary>
    private const int ListedUnscored = 20;

    /// <summary>The column a set is grouped by when --group-by is not given and labels.csv has it.</summary>
    private const string DefaultGroup = "font";

    public static readonly Option<string?> Images = new("--images")
    {
        Description = "Evaluate on a folder of pictures instead of MNIST test: a labels.csv (file,label) or one subfolder per label (0/, 1/, …)",
        HelpName = "DIR",
    };

    public static readonly Option<string?> GroupBy = new("--group-by")
    {
        Description = $"With --images: also give accuracy per value of this labels.csv column (default: {DefaultGroup}, when there is one)",
        HelpName = "COLUMN",
    };

    public static int Run(ParseResult parsed, Terminal terminal, string modelPath, string images,
        string? confusionPath, string? errorsPath, string? reliabilityPath, CancellationToken ct)
    {
        if (errorsPath is not null)
            throw new InvalidOptionException("--errors", "draws the mistakes of MNIST test only; with --images, use --confusion, and --json lists the pictures where no digit was found");
        var classifier = ModelLoader.Load(modelPath);
        var folder = ImageFolder.Read(images, classifier.Labels);
        string? group = parsed.GetValue(GroupBy);
        if (group is not null && !folder.ExtraColumns.Contains(group))
        {
            throw new InvalidOptionException("--group-by", folder.Layout == ImageFolderLayout.Subfolders
                ? $"'{group}' needs a labels.csv column; {images} has one subfolder per label"
                : $"'{group}' is not a column of {Path.Combine(images, ImageFolder.LabelsFile)} (its extra columns: {(folder.ExtraColumns.Count == 0 ? "none" : string.Join(", ", folder.ExtraColumns))})");
        }
        group ??= folder.ExtraColumns.Contains(DefaultGroup) ? DefaultGroup : null;
        var inputs = folder.Files.Select(f => f.Path).Append(modelPath);
        if (folder.Layout == ImageFolderLayout.LabelsCsv)
            inputs = inputs.Append(Path.Combine(folder.Directory, ImageFolder.LabelsFile));
        OutputPath.CheckAll([(confusionPath, "--confusion"), (reliabilityPath, "--reliability")], [.. inputs]);

        terminal.Log($"evaluating {classifier.Name} on {folder.Files.Count:N0} pictures in {folder.Directory}");
        var result = CountProgressView.Run(terminal, "reading pictures", folder.Files.Count,
            progress => ImageFolderEvaluator.Evaluate(classifier, folder, group, progress, ct));
        var scored = result.Scored;
        string setName = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder.Directory));
        if (confusionPath is not null)
        {
            ConfusionMatrixChart.Save(scored.Matrix, confusionPath, ConfusionMatrixChart.Title(classifier.Name, setName, result.Accuracy));
            Terminal.Wrote(confusionPath, "confusion matrix of the pictures where a digit was found");
        }
        if (reliabilityPath is not null)
        {
            ReliabilityDiagramChart.Save(scored.Reliability, reliabilityPath, ReliabilityDiagramChart.Title(classifier.Name, setName, scored.Ece, scored.Accuracy));
            Terminal.Wrote(reliabilityPath, "reliability diagram of the pictures where a digit was found");
        }

        if (parsed.GetValue(GlobalOptions.Json))
        {
            JsonOutput.Print(new
            {
                model = Path.GetFullPath(modelPath),
                dataset = folder.Directory,
                layout = folder.Layout == ImageFolderLayout.LabelsCsv ? "labels.csv" : "subfolders",
                result.Count,
                result.Accuracy,
                accuracy_ci95 = result.AccuracyCi95,
                scored = scored.Count,
                statuses = result.Statuses,
                top2_accuracy = scored.Top2Accuracy,
                log_loss = scored.LogLoss,
                ece = scored.Ece,
                temperature = (classifier as CalibratedModel)?.Temperature,
                per_class = result.PerClass,
                confusion = scored.Confusion,
                group_by = result.GroupColumn,
                per_group = result.Groups,
                unscored = result.Unscored,
                seconds = scored.Seconds,
                prepare_seconds = result.PrepareSeconds,
            });
            return CommandRunner.Ok;
        }

        var o = terminal.Out;
        var s = result.Statuses;
        o.MarkupLineInterpolated($"[bold]{classifier.Name}[/] on {folder.Directory} ({result.Count:N0} pictures): accuracy [green]{result.Accuracy * 100:F2}%[/] (95% CI {result.AccuracyCi95[0] * 100:F2}%–{result.AccuracyCi95[1] * 100:F2}%), pictures where no digit was found or that could not be read counting as wrong");
        o.MarkupLineInterpolated($"a digit was found in {scored.Count:N0} (one: {s["ok"]:N0}, more than one: {s["more-than-one-digit"]:N0}); no digit: {s["no-digit"]:N0}; unreadable: {s["unreadable"]:N0}");
        o.MarkupLineInterpolated($"on the {scored.Count:N0} with a digit: accuracy {scored.Accuracy * 100:F2}%, top-2 {scored.Top2Accuracy * 100:F2}%, log loss {scored.LogLoss:F4}, ECE {scored.Ece:F4}; read in {result.PrepareSeconds:F2} s, predicted in {scored.Seconds:F2} s");
        if (result.GroupColumn is { } column)
        {
            var groups = new Table().Border(TableBorder.Rounded).AddColumn(column)
                .AddColumn(new TableColumn("pictures").RightAligned()).AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("95% CI").RightAligned());
            foreach (var g in result.Groups)
                groups.AddRow(Markup.Escape(g.Group), $"{g.Count:N0}", $"{g.Accuracy * 100:F2}%", $"{g.AccuracyCi95[0] * 100:F1}–{g.AccuracyCi95[1] * 100:F1}%");
            o.Write(groups);
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("class")
            .AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("support").RightAligned());
        foreach (var c in result.PerClass)
            table.AddRow(Markup.Escape(c.Label), $"{c.Precision:F4}", $"{c.Recall:F4}", $"{c.F1:F4}", $"{c.Support:N0}");
        o.Write(table);
        foreach (var u in result.Unscored.Take(ListedUnscored))
            o.MarkupLineInterpolated($"  {u.File}: {u.Status}: {u.Reason}");
        if (result.Unscored.Count > ListedUnscored)
            o.MarkupLineInterpolated($"  … and {result.Unscored.Count - ListedUnscored:N0} more (--json lists them all)");
        return CommandRunner.Ok;
    }
}
