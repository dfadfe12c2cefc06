using System.Globalization;
using System.Text.Json;
using Digits.Evaluation;

namespace Digits.Bench;

/// <summary>
/// Draws <see cref="ModelComparisonChart"/> from the JSON that <c>digits train … --json</c> printed, one file per model:
/// test accuracy with its Wilson interval over the 10,000 MNIST test images, training time, and the published notebook
/// figure for the kind (logreg 92.3%, svm 96.7%, cnn 99.1%). The comparison in docs/images/ until
/// <c>digits report</c> draws its own. Usage: <c>-- comparison OUT.png RUN.json...</c>. A report's results.json
/// (<c>-- comparison OUT.png results.json</c>) redraws that report's chart from its figures, as the report draws it.
/// </summary>
internal static class ComparisonChartRun
{
    private const int TestCount = 10_000;

    private static readonly Dictionary<string, (double Accuracy, string Source)> Published = new()
    {
        ["logreg"] = (0.923, "notebook logreg"),
        ["svm"] = (0.967, "notebook SVM"),
        ["cnn"] = (0.991, "notebook CNN"),
    };

    public static void Print(string[] args)
    {
        var scores = new List<ModelScore>();
        foreach (string file in args[1..])
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var run = json.RootElement;
            if (run.TryGetProperty("models", out var models))
            {
                scores.AddRange(ReportScores(models));
                continue;
            }
            string kind = run.GetProperty("kind").GetString()!;
            string name = run.GetProperty("recipe").GetString() ?? kind;
            int trainCount = run.GetProperty("train_count").GetInt32();
            double accuracy = run.GetProperty("test_accuracy").GetDouble();
            var (low, high) = Metrics.WilsonInterval((int)Math.Round(accuracy * TestCount), TestCount);
            double seconds = run.GetProperty("train_seconds").GetDouble();
            bool cited = Published.TryGetValue(kind, out var published);
            scores.Add(new ModelScore($"{name} {trainCount / 1000}k", accuracy, low, high, seconds,
                cited ? published.Accuracy : null, cited ? published.Source : null));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name} on {trainCount} images: {accuracy:P2} [{low:P2}, {high:P2}] in {seconds:F2} s"));
        }
        ModelComparisonChart.Save(scores, args[0], "MNIST test accuracy against training time (2 cores)");
        Console.WriteLine($"wrote {args[0]}");
    }

    /// <summary>The models of a report's results.json, labelled as <c>StudyReport</c> labels them.</summary>
    private static IEnumerable<ModelScore> ReportScores(JsonElement models)
    {
        foreach (var m in models.EnumerateArray())
        {
            var ci = m.GetProperty("accuracy_ci95");
            double? published = m.GetProperty("published").ValueKind == JsonValueKind.Number ? m.GetProperty("published").GetDouble() : null;
            yield return new ModelScore($"{m.GetProperty("name").GetString()} {Reporting.StudyReport.Count(m.GetProperty("train_count").GetInt32())}",
                m.GetProperty("test_accuracy").GetDouble(), ci[0].GetDouble(), ci[1].GetDouble(), Math.Max(m.GetProperty("train_seconds").GetDouble(), 1e-3),
                published, published is null ? null : m.GetProperty("published_by").GetString());
        }
    }
}
