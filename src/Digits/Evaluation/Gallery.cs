using System.Globalization;
using Digits.Data;
using Digits.Imaging;

namespace Digits.Evaluation;

/// <summary>Prediction galleries: pictures of the images a model got wrong, where people would rather look than read.</summary>
public static class Gallery
{
    /// <summary>
    /// Writes the <paramref name="count"/> most confident mistakes as a captioned grid PNG under a heading that names
    /// the model and the set and explains the captions. Each caption has three lines: the image's index in the set
    /// (<c>#4176</c>), its true label (<c>TRUE 2</c>), and the label the model read with its probability
    /// (<c>READ 7 95%</c>).
    /// </summary>
    /// <param name="set">The images <paramref name="result"/> scored, in the same order.</param>
    /// <param name="labels">The model's labels, in output order.</param>
    /// <param name="modelName">How the heading names the model, e.g. <c>cnn-fast</c>.</param>
    /// <param name="setName">How the heading names the set, as the CLI does, e.g. <c>MNIST test</c>.</param>
    /// <returns>How many mistakes the picture shows (fewer than asked when the model made fewer).</returns>
    public static int SaveMistakes(string path, LabeledImages set, EvaluationResult result, IReadOnlyList<string> labels,
        string modelName, string setName, int count = 48, int columns = 12)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (set.Count != result.Count)
            throw new ArgumentException($"has {set.Count} images, but the result scored {result.Count}", nameof(set));
        var wrong = result.Misclassified();
        int n = Math.Min(count, wrong.Count);
        int p = set.PixelsPerImage;
        var pixels = new byte[n * p];
        var captions = new string[n];
        for (int i = 0; i < n; i++)
        {
            int index = wrong[i];
            set.Image(index).CopyTo(pixels.AsSpan(i * p, p));
            captions[i] = Caption(index, labels[result.TrueLabels[index]], labels[result.Predicted[index]], result.Confidence[index]);
        }
        string[] heading = Heading(modelName, setName, n, wrong.Count, result.Count);
        AtomicFile.WriteAllBytes(path, DigitGrid.RenderPng(pixels, captions, Math.Min(columns, Math.Max(n, 1)), heading: heading));
        return n;
    }

    /// <summary>
    /// One image's caption: <c>#4176</c>, <c>TRUE 2</c>, <c>READ 7 95%</c> on three lines. A probability of 99.5% or
    /// more keeps one decimal, so that a mistake is not shown as a certain 100%.
    /// </summary>
    internal static string Caption(int index, string trueLabel, string predictedLabel, float confidence)
    {
        double percent = confidence * 100.0;
        string shown = percent.ToString(percent >= 99.5 ? "F1" : "F0", CultureInfo.InvariantCulture);
        return $"#{index}\ntrue {trueLabel}\nread {predictedLabel} {shown}%";
    }

    /// <summary>The title line (what, of which model, on which set, how many) and the line that explains the captions.</summary>
    internal static string[] Heading(string modelName, string setName, int shown, int mistakes, int total)
    {
        string title = string.Create(CultureInfo.InvariantCulture,
            $"Most confident mistakes of {modelName} on {setName}: {shown} of {mistakes} errors in {total:N0} images");
        if (shown == 0)
            return [title, "No mistakes to show."];
        return [title, $"Under each image: #index in {setName}, the true label, the label the model read and its probability."];
    }
}
