using System.CommandLine;
using Digits.Data;
using Digits.Evaluation;
using Spectre.Console;

namespace Digits.Cli;

/// <summary><c>digits evaluate MODEL</c>: accuracy with a 95% interval, top-2 accuracy, log loss, expected calibration error, per-class figures and the confusion matrix on MNIST's test set, or with <c>--images DIR</c> on a labelled image folder (<see cref="EvaluateImages"/>).</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A model file (.safetensors) made by digits train" };
        var confusion = new Option<string?>("--confusion") { Description = "Also write the confusion matrix as a PNG", HelpName = "FILE.png" };
        var errors = new Option<string?>("--errors") { Description = "Also write a gallery of the most confident mistakes as a PNG", HelpName = "FILE.png" };
        var reliability = new Option<string?>("--reliability") { Description = "Also write a reliability diagram (accuracy against confidence in 15 bins) as a PNG", HelpName = "FILE.png" };
        var cmd = new Command("evaluate", "Measure a model on the MNIST test set, or on a labelled image folder (--images): accuracy, 95% interval, log loss, per-class precision/recall/F1, confusion matrix");
        cmd.Arguments.Add(model);
        cmd.Options.Add(EvaluateImages.Images);
        cmd.Options.Add(EvaluateImages.GroupBy);
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(confusion);
        cmd.Options.Add(errors);
        cmd.Options.Add(reliability);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            string path = InputFile.Check(parsed.GetValue(model)!, "MODEL");
            string? confusionPath = parsed.GetValue(confusion), errorsPath = parsed.GetValue(errors), reliabilityPath = parsed.GetValue(reliability);
            if (parsed.GetValue(EvaluateImages.Images) is { } images)
                return EvaluateImages.Run(parsed, terminal, path, images, confusionPath, errorsPath, reliabilityPath, ct);
            if (parsed.GetValue(EvaluateImages.GroupBy) is not null)
                throw new InvalidOptionException("--group-by", "needs --images DIR: MNIST test has no columns to group by");
            var loaded = await DataCommands.LoadAsync(parsed, terminal, DatasetCatalog.Mnist, ct, dataFiles =>
                OutputPath.CheckAll([(confusionPath, "--confusion"), (errorsPath, "--errors"), (reliabilityPath, "--reliability")], [path, .. dataFiles]));
            var classifier = ModelLoader.Load(path);
            var testSet = DataCommands.CheckTestSet(loaded);
            var test = loaded.Test;
            terminal.Log($"evaluating {classifier.Name} on {test.Count:N0} images of {testSet.Words}");
            var result = Evaluator.Evaluate(classifier, test.Pixels, test.Labels, test.Count, cancellationToken: ct);
            if (confusionPath is not null)
            {
                ConfusionMatrixChart.Save(result.Matrix, confusionPath, ConfusionMatrixChart.Title(classifier.Name, "test", result.Accuracy));
                Terminal.Wrote(confusionPath, "confusion matrix");
            }
            if (errorsPath is not null)
            {
                Gallery.SaveMistakes(errorsPath, test, result, classifier.Labels, classifier.Name, testSet.Words);
                Terminal.Wrote(errorsPath, "most confident mistakes");
            }
            if (reliabilityPath is not null)
            {
                ReliabilityDiagramChart.Save(result.Reliability, reliabilityPath, ReliabilityDiagramChart.Title(classifier.Name, "test", result.Ece, result.Accuracy));
                Terminal.Wrote(reliabilityPath, "reliability diagram");
            }

            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    model = Path.GetFullPath(path),
                    dataset = testSet.Dataset,
                    checksums = testSet.Checksums,
                    result.Count,
                    result.Accuracy,
                    accuracy_ci95 = result.AccuracyCi95,
                    top2_accuracy = result.Top2Accuracy,
                    log_loss = result.LogLoss,
                    ece = result.Ece,
                    temperature = (classifier as CalibratedModel)?.Temperature,
                    per_class = result.PerClass,
                    confusion = result.Confusion,
                    seconds = result.Seconds,
                });
                return CommandRunner.Ok;
            }
            var o = terminal.Out;
            o.MarkupLineInterpolated($"[bold]{classifier.Name}[/] on {testSet.Words} ({result.Count:N0} images): accuracy [green]{result.Accuracy * 100:F2}%[/] (95% CI {result.AccuracyCi95[0] * 100:F2}%–{result.AccuracyCi95[1] * 100:F2}%), top-2 {result.Top2Accuracy * 100:F2}%, log loss {result.LogLoss:F4}, ECE {result.Ece:F4}{(classifier is CalibratedModel calibrated ? $" (temperature {calibrated.Temperature:F3})" : "")}, {result.Seconds:F2} s");
            var table = new Table().Border(TableBorder.Rounded).AddColumn("class")
                .AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
                .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("support").RightAligned());
            foreach (var c in result.PerClass)
                table.AddRow(c.Label, $"{c.Precision:F4}", $"{c.Recall:F4}", $"{c.F1:F4}", $"{c.Support:N0}");
            o.Write(table);
            return CommandRunner.Ok;
        });
        return cmd;
    }
}
