using Digits.Data;
using Digits.Imaging;

namespace Digits.Evaluation;

/// <summary>Accuracy on the images of one group of a folder, e.g. one font of a synthetic set.</summary>
/// <param name="Group">The group column's value.</param>
/// <param name="Count">Images in the group, every status included.</param>
/// <param name="Accuracy">Fraction read correctly, 0–1; an image without a digit found counts as wrong.</param>
/// <param name="AccuracyCi95">95% Wilson interval of <paramref name="Accuracy"/>.</param>
public sealed record GroupAccuracy(string Group, int Count, double Accuracy, IReadOnlyList<double> AccuracyCi95);

/// <summary>An image that no model was asked about, and why.</summary>
/// <param name="File">The file as the folder names it.</param>
/// <param name="Status"><c>no-digit</c> or <c>unreadable</c> (<see cref="DigitInput.Name"/>).</param>
public sealed record UnscoredImage(string File, string Status, string Reason);

/// <summary>
/// A model's scores on a labelled image folder. Every image counts: <see cref="Accuracy"/> is over all of them, an
/// image where no digit was found, or that could not be read, being wrong. Figures that need the model's probabilities
/// (<see cref="Scored"/>: log loss, top-2, ECE, confusion) are over the images where a digit was found, one or several;
/// <see cref="PerClass"/> is over all, so a class's recall counts its unscored images as misses.
/// </summary>
public sealed class ImageFolderResult
{
    internal ImageFolderResult(ImageFolder folder, DigitInputResult[] inputs, int[] scoredFiles, EvaluationResult scored,
        IReadOnlyList<string> labels, string? groupColumn, double prepareSeconds)
    {
        Folder = folder;
        Inputs = inputs;
        Scored = scored;
        GroupColumn = groupColumn;
        PrepareSeconds = prepareSeconds;
        Predicted = new int[inputs.Length];
        Array.Fill(Predicted, -1);
        for (int s = 0; s < scoredFiles.Length; s++)
            Predicted[scoredFiles[s]] = scored.Predicted[s];

        var files = folder.Files;
        Count = files.Count;
        Correct = Enumerable.Range(0, Count).Count(i => Predicted[i] == files[i].Label);
        Accuracy = Count == 0 ? 0 : (double)Correct / Count;
        AccuracyCi95 = Interval(Correct, Count);
        Statuses = Enum.GetValues<DigitInputStatus>().ToDictionary(DigitInput.Name, s => inputs.Count(r => r.Status == s));
        Unscored = [.. Enumerable.Range(0, Count).Where(i => !inputs[i].HasDigit)
            .Select(i => new UnscoredImage(files[i].Name, inputs[i].StatusName, inputs[i].Reason ?? ""))];
        PerClass = PerClassOverAll(scored.Matrix, files, labels);
        Groups = groupColumn is null ? [] : [.. Enumerable.Range(0, Count)
            .GroupBy(i => files[i].Columns.GetValueOrDefault(groupColumn, ""), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                int n = g.Count(), correct = g.Count(i => Predicted[i] == files[i].Label);
                return new GroupAccuracy(g.Key, n, (double)correct / n, Interval(correct, n));
            })];
    }

    public ImageFolder Folder { get; }

    /// <summary>Every image's input, in <see cref="ImageFolder.Files"/> order.</summary>
    public IReadOnlyList<DigitInputResult> Inputs { get; }

    /// <summary>The model's answer per image (a class position), in <see cref="ImageFolder.Files"/> order; −1 where no digit was found.</summary>
    public int[] Predicted { get; }

    /// <summary>All images, every status included.</summary>
    public int Count { get; }

    /// <summary>Images whose most probable class is their label.</summary>
    public int Correct { get; }

    /// <summary><see cref="Correct"/> over <see cref="Count"/>, 0–1.</summary>
    public double Accuracy { get; }

    /// <summary>95% Wilson interval of <see cref="Accuracy"/>, [low, high].</summary>
    public IReadOnlyList<double> AccuracyCi95 { get; }

    /// <summary>The images where a digit was found, scored as <see cref="Evaluator"/> scores MNIST.</summary>
    public EvaluationResult Scored { get; }

    /// <summary>Precision over the model's answers, recall and support over every image of the class.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>How many images had each status, by <see cref="DigitInput.Name"/>, every status listed.</summary>
    public IReadOnlyDictionary<string, int> Statuses { get; }

    /// <summary>The images where no digit was found or that could not be read, in folder order.</summary>
    public IReadOnlyList<UnscoredImage> Unscored { get; }

    /// <summary>The labels.csv column the images were grouped by, or null.</summary>
    public string? GroupColumn { get; }

    /// <summary>Accuracy per value of <see cref="GroupColumn"/>, by value (ordinal); empty without a group column.</summary>
    public IReadOnlyList<GroupAccuracy> Groups { get; }

    /// <summary>Seconds spent decoding and normalizing the pictures (the model's time is <see cref="EvaluationResult.Seconds"/>).</summary>
    public double PrepareSeconds { get; }

    private static double[] Interval(int correct, int count)
    {
        var (low, high) = Metrics.WilsonInterval(correct, count);
        return [low, high];
    }

    private static ClassMetrics[] PerClassOverAll(ConfusionMatrix matrix, IReadOnlyList<LabeledImageFile> files, IReadOnlyList<string> labels)
    {
        var support = new int[labels.Count];
        foreach (var f in files)
            support[f.Label]++;
        var rows = new ClassMetrics[labels.Count];
        for (int c = 0; c < labels.Count; c++)
        {
            double precision = matrix.Precision(c);
            double recall = support[c] == 0 ? 0 : (double)matrix[c, c] / support[c];
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            rows[c] = new ClassMetrics(labels[c], precision, recall, f1, support[c]);
        }
        return rows;
    }
}
