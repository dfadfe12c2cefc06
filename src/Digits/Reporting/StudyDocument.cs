using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digits.Reporting;

/// <summary>
/// A study's two documents: results.json, the contract's <c>report</c> shape with the tuning and the run's
/// circumstances added, and results.md, the same figures as a Markdown table followed by every picture with a one-line
/// caption. File paths in both are relative to the report's folder, so the folder can be moved or published whole.
/// </summary>
public static class StudyDocument
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes results.json and results.md for <paramref name="result"/>, each atomically.</summary>
    public static void Write(StudyPlan plan, StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(result);
        AtomicFile.WriteAllBytes(plan.Outputs.ResultsJson, Encoding.UTF8.GetBytes(Json(plan, result) + "\n"));
        AtomicFile.WriteAllBytes(plan.Outputs.ResultsMarkdown, Encoding.UTF8.GetBytes(Markdown(plan, result)));
    }

    /// <summary>The results.json object, for a front end to print or serve as it is.</summary>
    public static object ToJsonObject(StudyPlan plan, StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(result);
        var outputs = plan.Outputs;
        var machine = result.Machine;
        var tuning = result.Tuning;
        return new
        {
            machine = new { cpu = machine.Cpu, cores = machine.Cores, dotnet = machine.Dotnet, os = machine.Os, load_average = machine.LoadAverage },
            command = plan.Command,
            models = result.Models.Select(m => new
            {
                name = m.Name,
                kind = m.Kind,
                test_accuracy = m.Test.Accuracy,
                accuracy_ci95 = m.Test.AccuracyCi95,
                train_seconds = Math.Round(m.TrainSeconds, 3),
                predict_seconds = Math.Round(m.PredictSeconds, 3),
                published = m.Published,
                published_by = m.PublishedBy,
                beats_published = m.BeatsPublished,
                description = m.Description,
                train_count = m.TrainCount,
                parameters = m.Parameters,
                top2_accuracy = m.Test.Top2Accuracy,
                ece = m.Test.Ece,
                ece_uncalibrated = m.EceUncalibrated,
                temperature = m.Temperature,
                validation_count = m.ValidationCount,
                reused = m.Reused,
                model = m.Reused ? m.ModelPath : outputs.Relative(m.ModelPath),
            }),
            charts = result.Files.Where(f => f.Path.EndsWith(".png", StringComparison.Ordinal)).Select(f => outputs.Relative(f.Path)),
            tuning = tuning is null ? null : new
            {
                model = tuning.Model,
                grid = tuning.GridSpec,
                folds = tuning.Search.Folds,
                train_count = tuning.TrainCount,
                best = tuning.Search.Best.Parameters,
                best_cv_accuracy = tuning.Search.Best.CvMean,
                seconds = Math.Round(tuning.Seconds, 3),
                trials = tuning.Search.Trials.Select(t => new { @params = t.Parameters, cv_mean = t.CvMean, cv_std = t.CvStd, seconds = Math.Round(t.Seconds, 3) }),
                chart = outputs.Relative(outputs.Tuning(tuning.Model)),
            },
            full = plan.Full,
            scale = plan.Scale,
            seed = plan.Seed,
            test_set = plan.TestSetName,
            test_count = plan.Data.Test.Count,
            started = result.Started.ToString("o", CultureInfo.InvariantCulture),
            seconds = Math.Round(result.Seconds, 3),
            interrupted = result.Interrupted,
            not_run = result.NotRun,
            notes = result.Notes,
        };
    }

    public static string Json(StudyPlan plan, StudyResult result) => JsonSerializer.Serialize(ToJsonObject(plan, result), JsonOptions);

    /// <summary>results.md: a heading that says how and where the figures were measured, the table, the tuning, the pictures.</summary>
    public static string Markdown(StudyPlan plan, StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        var machine = result.Machine;
        var md = new StringBuilder();
        md.AppendLine(plan.Full ? "# The notebook's study, measured again, and every model at its best" : "# The notebook's study, measured again");
        md.AppendLine();
        string load = machine.LoadAverage is { Count: > 0 } l ? string.Create(c, $", load average {l[0]:F2} at the start") : "";
        md.AppendLine(string.Create(c, $"`{plan.Command}` on {machine.Cpu}, {machine.Cores} cores, {machine.Dotnet}{load}; {result.Started:yyyy-MM-dd HH:mm}, {result.Seconds:F1} s in all. Every model is measured once on the {plan.Data.Test.Count:N0} images of {plan.TestSetName}; nothing was chosen on them."));
        md.AppendLine();
        if (result.Interrupted)
        {
            md.AppendLine($"**Interrupted** before {string.Join(", ", result.NotRun)} finished: the figures below are the stages that did.");
            md.AppendLine();
        }

        md.AppendLine("| model | ours | published | 95% CI | ECE | train s | predict s |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in Rows(result))
        {
            if (row.Model is not { } m)
            {
                string publishedFigure = StudyReport.Published(row.Stage!.Name) is { } pub ? (pub.Accuracy * 100).ToString("0.0", c) + "%" : "";
                md.AppendLine($"| {row.Stage.Name}: {row.Stage.What} | not run | {publishedFigure} | | | | |");
                continue;
            }
            string published = m.Published is double p ? (p * 100).ToString("0.0", c) + "%" : "";
            string ours = Percent(m.Test.Accuracy);
            string ece = m.EceUncalibrated is double before ? string.Create(c, $"{m.Test.Ece:F4} ({before:F4} uncalibrated)") : m.Test.Ece.ToString("F4", c);
            string name = m.Reused ? $"{m.Name} (reused)" : m.Name;
            md.AppendLine(string.Create(c, $"| {name}: {m.Description} | {(m.BeatsPublished == true ? $"**{ours}**" : ours)} | {published} | {Percent(m.Test.AccuracyCi95[0])}–{Percent(m.Test.AccuracyCi95[1])} | {ece} | {m.TrainSeconds:F2} | {m.PredictSeconds:F2} |"));
        }
        md.AppendLine();
        md.AppendLine($"Train s is the fit's wall-clock time; predict s is the model's time to read all the test images. ECE is the expected calibration error on the test images ({Evaluation.CalibrationError.BinCount} bins): how far the stated confidence is from the accuracy.");

        if (result.Tuning is { } tuning)
        {
            md.AppendLine();
            md.AppendLine(string.Create(c, $"The SVM's C and γ were chosen by {tuning.Search.Folds}-fold cross-validation on its own {tuning.TrainCount:N0} training images ({tuning.Seconds:F1} s): {StudyReport.Format(tuning.Search.Best.Parameters)}, CV accuracy {Percent(tuning.Search.Best.CvMean)}."));
            md.AppendLine();
            var axes = tuning.Grid.Axes.Select(a => a.Name).ToArray();
            md.AppendLine("| " + string.Join(" | ", axes) + " | CV mean | CV std | s |");
            md.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", axes.Length + 3)));
            foreach (var t in tuning.Search.Trials)
            {
                string row = "| " + string.Join(" | ", axes.Select(a => StudyReport.Number(t.Parameters[a]))) + string.Create(c, $" | {Percent(t.CvMean)} | {t.CvStd * 100:F2} | {t.Seconds:F1} |");
                md.AppendLine(ReferenceEquals(t, tuning.Search.Best) ? row.Replace(Percent(t.CvMean), $"**{Percent(t.CvMean)}**", StringComparison.Ordinal) : row);
            }
        }

        if (result.Notes.Count > 0)
        {
            md.AppendLine();
            foreach (string note in result.Notes)
                md.AppendLine($"- {note}");
        }

        var pictures = result.Files.Where(f => f.Path.EndsWith(".png", StringComparison.Ordinal)).ToArray();
        if (pictures.Length > 0)
        {
            md.AppendLine();
            md.AppendLine("## Pictures");
            foreach (var picture in pictures)
            {
                string file = plan.Outputs.Relative(picture.Path);
                md.AppendLine();
                md.AppendLine($"![{Path.GetFileNameWithoutExtension(file)}]({file})");
                md.AppendLine();
                md.AppendLine($"*{picture.Caption}*");
            }
        }
        return md.ToString();
    }

    /// <summary>One table row per model stage in plan order: the finished model, or the stage that did not run.</summary>
    public static IEnumerable<(StudyModel? Model, StudyStage? Stage)> Rows(StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Stages.Count == 0)
        {
            foreach (var m in result.Models)
                yield return (m, null);
            yield break;
        }
        foreach (var stage in result.Stages)
        {
            if (result.Models.FirstOrDefault(m => m.Name == stage.Name) is { } model)
                yield return (model, stage);
            else if (stage.Name != StudyReport.TuningStage && result.NotRun.Contains(stage.Name))
                yield return (null, stage);
        }
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
