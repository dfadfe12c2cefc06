using System.CommandLine;
using System.Globalization;
using Digits.Data;
using Digits.Evaluation;
using Digits.Persistence;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// <c>digits model threshold MODEL --images DIR --out OUT</c>: chooses the model's <c>min_confidence</c> on a labelled
/// folder of pictures it was not trained on (<see cref="ConfidenceThreshold"/>) and writes a copy of the model file with
/// it, and with how it was chosen in <c>min_confidence_basis</c>. The input file is never overwritten.
/// </summary>
internal static class ThresholdCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A digit model file (.safetensors)" };
        var images = new Option<string>("--images")
        {
            Description = "A labelled folder of pictures the model was not trained on (labels.csv or one subfolder per label), e.g. digits data synth-scans --split validation",
            Required = true,
            HelpName = "DIR",
        };
        var precision = new Option<double>("--precision")
        {
            Description = "The share of ok answers that must be right, above 0 and at most 1",
            DefaultValueFactory = _ => ConfidenceThreshold.DefaultTargetPrecision,
            HelpName = "P",
        };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the copy of the model with min_confidence set", Required = true, HelpName = "OUT.safetensors" };
        var cmd = new Command("threshold", "Choose the confidence below which predict answers unsure, on labelled validation pictures, and store it in a copy of the model");
        cmd.Arguments.Add(model);
        cmd.Options.Add(images);
        cmd.Options.Add(precision);
        cmd.Options.Add(output);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction((parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            string path = InputFile.Check(parsed.GetValue(model)!, "MODEL");
            double target = parsed.GetValue(precision);
            if (!(target > 0 && target <= 1))
                throw new InvalidOptionException("--precision", string.Create(CultureInfo.InvariantCulture, $"must be above 0 and at most 1, got {target}"));
            string outPath = parsed.GetValue(output)!;
            var file = ModelFile.Load(path);
            var digitModel = DigitModel.FromModelFile(file, path);
            var folder = ImageFolder.Read(parsed.GetValue(images)!, digitModel.Classifier.Labels);
            var inputs = folder.Files.Select(f => f.Path).Append(path);
            if (folder.Layout == ImageFolderLayout.LabelsCsv)
                inputs = inputs.Append(Path.Combine(folder.Directory, ImageFolder.LabelsFile));
            OutputPath.Check(outPath, "--out", inputs, file.Length);

            terminal.Log($"choosing min_confidence of {path} on {folder.Files.Count:N0} pictures in {folder.Directory}");
            var choice = CountProgressView.Run(terminal, "reading pictures", folder.Files.Count,
                progress => ConfidenceThreshold.Choose(digitModel, folder, target, progress, ct));
            var metadata = file.Metadata with { MinConfidence = choice.MinConfidence, MinConfidenceBasis = choice.BasisJson() };
            ModelFile.Save(outPath, metadata, file.File.Tensors);
            Terminal.Wrote(outPath, string.Create(CultureInfo.InvariantCulture, $"min_confidence {choice.MinConfidence:0.######}"));

            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    model = Path.GetFullPath(path),
                    @out = Path.GetFullPath(outPath),
                    images = folder.Directory,
                    min_confidence = choice.MinConfidence,
                    previous_min_confidence = file.Metadata.MinConfidence,
                    target_precision = choice.TargetPrecision,
                    precision = choice.Precision,
                    count = choice.Count,
                    readings = choice.Readings,
                    accuracy_of_readings = choice.AccuracyOfReadings,
                    statuses = choice.Statuses,
                    ok_share = choice.OkShare,
                    unsure_share = choice.UnsureShare,
                });
                return Task.FromResult(CommandRunner.Ok);
            }
            var s = choice.Statuses;
            terminal.Out.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"min_confidence [bold]{choice.MinConfidence:0.######}[/] on {choice.Images} ({choice.Count:N0} pictures): ok answers right {choice.Precision * 100:F2}% (target {choice.TargetPrecision * 100:F2}%); {s["ok"]:N0} ok ({choice.OkShare * 100:F1}%), {s["unsure"]:N0} unsure ({choice.UnsureShare * 100:F1}%), {s["no-digit"]:N0} no digit, {s["error"]:N0} error; with no threshold {choice.AccuracyOfReadings * 100:F2}% of the {choice.Readings:N0} readings are right");
            return Task.FromResult(CommandRunner.Ok);
        });
        return cmd;
    }
}
