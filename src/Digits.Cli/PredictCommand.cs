using System.CommandLine;
using System.Globalization;
using System.Text;
using Digits.Data;
using Digits.Evaluation;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// <c>digits predict IMAGE|DIR...</c>: what digit each picture shows, through <see cref="DigitModel"/> (the bundled
/// model unless --model). One file is one result; several files or a folder are read as one batch, in parallel, and
/// answered in order. A file that cannot be read answers <c>error</c>, the rest go on, and the exit code is then 1.
/// </summary>
internal static class PredictCommand
{
    private const int MaxTop = 10;

    public static Command Create()
    {
        var images = new Argument<string[]>("images")
        {
            Description = "Pictures of one digit each (PNG, JPEG, BMP, GIF or WebP), or folders of them (read with their subfolders)",
            Arity = ArgumentArity.OneOrMore,
            HelpName = "IMAGE|DIR",
        };
        var model = new Option<string?>("--model") { Description = $"A model file (.safetensors) to use instead of the bundled one ({DigitModel.BundledName})", HelpName = "FILE" };
        var top = new Option<int>("--top") { Description = $"How many of the most probable digits to show, 1 to {MaxTop}", DefaultValueFactory = _ => 3, HelpName = "K" };
        var minConfidence = new Option<double?>("--min-confidence")
        {
            Description = $"Answer unsure when the top probability is below P, 0 to 1 (default: the model's min_confidence, else {DigitModel.DefaultMinConfidence})",
            HelpName = "P",
        };
        var csv = new Option<string?>("--csv") { Description = "Also write the answers as CSV: file,digit,confidence,status,reason", HelpName = "OUT.csv" };
        var explain = new Option<string?>("--explain")
        {
            Description = "With one picture: also write where the model looks (an occlusion map beside the 28×28 input) as a PNG",
            HelpName = "OUT.png",
        };
        var cmd = new Command("predict", "Read the digit in each picture: the digit, its confidence and the runners-up, or unsure, no-digit or error");
        cmd.Arguments.Add(images);
        cmd.Options.Add(model);
        cmd.Options.Add(top);
        cmd.Options.Add(minConfidence);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.Options.Add(csv);
        cmd.Options.Add(explain);
        cmd.SetAction((parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            int k = parsed.GetValue(top);
            if (k is < 1 or > MaxTop)
                throw new InvalidOptionException("--top", $"must be 1 to {MaxTop}, got {k}");
            double? threshold = parsed.GetValue(minConfidence);
            if (threshold is { } t && !(t >= 0 && t <= 1))
                throw new InvalidOptionException("--min-confidence", string.Create(CultureInfo.InvariantCulture, $"must be 0 to 1, got {t}"));
            string[] arguments = parsed.GetValue(images)!;
            var inputs = PredictInputs.Expand(arguments);
            string? csvPath = parsed.GetValue(csv), explainPath = parsed.GetValue(explain);
            if (explainPath is not null && !inputs.Single)
            {
                throw new InvalidOptionException("--explain", arguments.Length == 1
                    ? $"draws the map of one picture file; {arguments[0]} is a folder"
                    : $"draws the map of one picture file; got {arguments.Length}");
            }
            string? modelPath = parsed.GetValue(model) is { } m ? InputFile.Check(m, "--model") : null;
            OutputPath.CheckAll([(csvPath, "--csv"), (explainPath, "--explain")], [.. inputs.Files, modelPath]);

            var digitModel = modelPath is null ? DigitModel.LoadDefault() : DigitModel.Load(modelPath);
            IReadOnlyList<Prediction> answers = inputs.Single
                ? [digitModel.Predict(inputs.Files[0], threshold)]
                : CountProgressView.Run(terminal, "reading pictures", inputs.Files.Count,
                    progress => digitModel.PredictBatch(inputs.Files, threshold, progress, ct));

            string? explained = null, explainProblem = null;
            if (explainPath is not null)
            {
                if (answers[0].BestGuess is null)
                    explainProblem = $"{inputs.Files[0]} answers {answers[0].StatusName}, so there is no digit to explain";
                else
                    explained = Explain(digitModel, inputs.Files[0], answers[0], explainPath);
            }
            if (csvPath is not null)
            {
                AtomicFile.Write(csvPath, stream => WriteCsv(stream, inputs.Files, answers));
                Terminal.Wrote(csvPath, $"{answers.Count:N0} answers");
            }

            string modelName = modelPath is null ? DigitModel.BundledName : Path.GetFullPath(modelPath);
            if (parsed.GetValue(GlobalOptions.Json))
            {
                var results = answers.Select((a, i) => Result(inputs.Files[i], a, k)).ToList();
                if (explained is not null)
                    results[0]["explain"] = Path.GetFullPath(explained);
                JsonOutput.Print(inputs.Single ? results[0] : new { model = modelName, results });
            }
            else
            {
                PrintHuman(terminal, inputs, answers, k, threshold ?? digitModel.MinConfidence, modelName);
            }
            for (int i = 0; i < answers.Count; i++)
            {
                if (answers[i].Status == PredictionStatus.Error)
                    Console.Error.WriteLine($"error: {inputs.Files[i]}: {answers[i].Reason}");
            }
            if (explainProblem is not null)
                Console.Error.WriteLine($"error: --explain: {explainProblem}; nothing was written");
            return Task.FromResult(explainProblem is not null || answers.Any(a => a.Status == PredictionStatus.Error) ? CommandRunner.Error : CommandRunner.Ok);
        });
        return cmd;
    }

    /// <summary>One result in the contract's shape, plus <c>top</c> (the K most probable digits).</summary>
    private static Dictionary<string, object?> Result(string file, Prediction p, int k)
    {
        var result = new Dictionary<string, object?>
        {
            ["file"] = file,
            ["digit"] = p.Digit,
            // As a float, so the confidence reads exactly as its entry in probabilities.
            ["confidence"] = (float?)p.Confidence,
            ["probabilities"] = p.Probabilities,
            ["status"] = p.StatusName,
        };
        if (p.Status == PredictionStatus.Error)
            result["error"] = p.Reason;
        else if (p.Reason is not null)
            result["reason"] = p.Reason;
        result["top"] = p.Top(k).Select(d => new { digit = d.Digit, probability = (float)d.Probability }).ToArray();
        return result;
    }

    /// <summary>Writes the occlusion map of the one picture, which has a reading (ok or unsure); returns the path written.</summary>
    private static string Explain(DigitModel model, string file, Prediction answer, string path)
    {
        int digit = answer.BestGuess!.Value;
        float[] saliency = model.Explain(answer);
        string title = $"{Path.GetFileName(file)}: {digit}, {Percent(answer.Confidence)} {answer.StatusName}";
        SaliencyPicture.Save(path, answer.Normalized, saliency, digit, title);
        Terminal.Wrote(path, $"where the model reads {digit}");
        return path;
    }

    private static void WriteCsv(Stream stream, IReadOnlyList<string> files, IReadOnlyList<Prediction> answers)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine("file,digit,confidence,status,reason");
        for (int i = 0; i < answers.Count; i++)
        {
            var a = answers[i];
            string confidence = a.Confidence is { } c ? ((float)c).ToString("R", CultureInfo.InvariantCulture) : "";
            string digit = a.Digit?.ToString(CultureInfo.InvariantCulture) ?? "";
            writer.WriteLine(string.Join(",", Quote(files[i]), digit, confidence, a.StatusName, Quote(a.Reason ?? "")));
        }
    }

    /// <summary>A CSV field (RFC 4180): in double quotes, with quotes doubled, when it holds a comma, a quote or a line break.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    private static void PrintHuman(Terminal terminal, PredictInputs inputs, IReadOnlyList<Prediction> answers, int k, double minConfidence, string modelName)
    {
        var o = terminal.Out;
        for (int i = 0; i < answers.Count; i++)
        {
            var a = answers[i];
            string file = Markup.Escape(inputs.Files[i]);
            string topK = string.Join(", ", a.Top(k).Select(d => $"{d.Digit} {Percent(d.Probability)}"));
            switch (a.Status)
            {
                case PredictionStatus.Ok:
                    o.MarkupLine($"{file}: [bold green]{a.Digit}[/] ({Percent(a.Confidence)}) [green]ok[/]; top {k}: {topK}");
                    break;
                case PredictionStatus.Unsure:
                    o.MarkupLine($"{file}: [yellow]unsure[/], best {a.BestGuess} ({Percent(a.Confidence)}): {Markup.Escape(a.Reason ?? "")}; top {k}: {topK}");
                    break;
                case PredictionStatus.NoDigit:
                    o.MarkupLine($"{file}: [blue]{Markup.Escape(a.Reason ?? "no digit found")}[/]");
                    break;
                default:
                    o.MarkupLine($"{file}: [red]error[/]: {Markup.Escape(a.Reason ?? "")}");
                    break;
            }
        }
        if (!inputs.Single)
        {
            int Count(PredictionStatus s) => answers.Count(a => a.Status == s);
            o.MarkupLineInterpolated($"{answers.Count:N0} pictures: {Count(PredictionStatus.Ok):N0} ok, {Count(PredictionStatus.Unsure):N0} unsure, {Count(PredictionStatus.NoDigit):N0} no digit, {Count(PredictionStatus.Error):N0} error; model {modelName}, min_confidence {minConfidence:0.####}");
        }
    }

    /// <summary>A probability as a percentage with one decimal, e.g. <c>99.8%</c>.</summary>
    private static string Percent(double? probability) =>
        string.Create(CultureInfo.InvariantCulture, $"{probability * 100:F1}%");
}

/// <summary>The pictures a predict run reads, from its IMAGE|DIR arguments, checked before any work.</summary>
/// <param name="Files">Every picture, in argument order; a folder's pictures by path (ordinal), subfolders included.</param>
/// <param name="Single">One file was named (not a folder): the answer is one result, not a batch.</param>
internal sealed record PredictInputs(IReadOnlyList<string> Files, bool Single)
{
    /// <exception cref="InvalidOptionException">An empty argument.</exception>
    /// <exception cref="DigitsException">A file that does not exist, or a folder with no pictures.</exception>
    public static PredictInputs Expand(IReadOnlyList<string> arguments)
    {
        var files = new List<string>();
        foreach (string argument in arguments)
        {
            if (string.IsNullOrWhiteSpace(argument))
                throw new InvalidOptionException("IMAGE", "the path is empty; give a picture or a folder of pictures");
            if (!Directory.Exists(argument))
            {
                files.Add(File.Exists(argument) ? argument : throw new DigitsException(argument, "file not found"));
                continue;
            }
            var pictures = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories)
                .Where(f => ImageFolder.ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (pictures.Count == 0)
                throw new DigitsException(argument, $"holds no pictures ({string.Join(", ", ImageFolder.ImageExtensions)})");
            files.AddRange(pictures);
        }
        return new PredictInputs(files, arguments.Count == 1 && !Directory.Exists(arguments[0]));
    }
}
