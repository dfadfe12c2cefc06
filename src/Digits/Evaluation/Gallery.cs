using System.Globalization;
using Digits.Data;
using Digits.Imaging;

namespace Digits.Evaluation;

/// <summary>Prediction galleries: pictures of the images a model got wrong, where people would rather look than read.</summary>
public static class Gallery
{
    /// <summary>
    /// Writes the <paramref name="count"/> most confident mistakes as a captioned grid PNG. Each caption reads
    /// <c>7&gt;2 95%</c>: true label, predicted label, the model's confidence in its wrong answer.
    /// </summary>
    /// <returns>How many mistakes the picture shows (fewer than asked when the model made fewer).</returns>
    public static int SaveMistakes(string path, LabeledImages set, EvaluationResult result, IReadOnlyList<string> labels, int count = 48, int columns = 12)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var wrong = result.Misclassified();
        int n = Math.Min(count, wrong.Count);
        if (n == 0)
        {
            AtomicFile.WriteAllBytes(path, DigitGrid.RenderPng(ReadOnlySpan<byte>.Empty, [], columns));
            return 0;
        }
        int p = set.PixelsPerImage;
        var pixels = new byte[n * p];
        var captions = new string[n];
        for (int i = 0; i < n; i++)
        {
            int index = wrong[i];
            set.Image(index).CopyTo(pixels.AsSpan(i * p, p));
            captions[i] = string.Create(CultureInfo.InvariantCulture,
                $"{labels[result.TrueLabels[index]]}>{labels[result.Predicted[index]]} {result.Confidence[index] * 100:F0}%");
        }
        AtomicFile.WriteAllBytes(path, DigitGrid.RenderPng(pixels, captions, Math.Min(columns, n)));
        return n;
    }
}
