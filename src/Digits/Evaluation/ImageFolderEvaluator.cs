using System.Diagnostics;
using Digits.Data;
using Digits.Imaging;

namespace Digits.Evaluation;

/// <summary>
/// Scores a model on a labelled image folder (<see cref="ImageFolder"/>): every picture goes through
/// <see cref="DigitInput"/>, the input pipeline <c>predict</c> uses, in parallel and in folder order, and the 28×28
/// images where a digit was found go through <see cref="Evaluator"/> in one batch run.
/// </summary>
public static class ImageFolderEvaluator
{
    /// <param name="groupColumn">A labels.csv column to report accuracy per value of (e.g. <c>font</c>); null for none.</param>
    /// <param name="progress">Told how many pictures are decoded and normalized so far.</param>
    /// <exception cref="ArgumentException"><paramref name="groupColumn"/> is not one of the folder's columns.</exception>
    public static ImageFolderResult Evaluate(IClassifier model, ImageFolder folder, string? groupColumn = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(folder);
        if (groupColumn is not null && !folder.ExtraColumns.Contains(groupColumn))
            throw new ArgumentException($"'{groupColumn}' is not a column of the folder's labels ({string.Join(", ", folder.ExtraColumns)})", nameof(groupColumn));
        foreach (var f in folder.Files)
        {
            if (f.Label >= model.Labels.Count)
                throw new ArgumentException($"{f.Name} has label position {f.Label}, but the model has {model.Labels.Count} labels", nameof(folder));
        }

        long started = Stopwatch.GetTimestamp();
        var inputs = DigitInput.FromFiles([.. folder.Files.Select(f => f.Path)], progress: progress, cancellationToken: cancellationToken);
        double prepareSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        int[] scoredFiles = [.. Enumerable.Range(0, inputs.Length).Where(i => inputs[i].HasDigit)];
        var pixels = new byte[scoredFiles.Length * DigitImage.Pixels];
        var labels = new byte[scoredFiles.Length];
        for (int s = 0; s < scoredFiles.Length; s++)
        {
            inputs[scoredFiles[s]].Pixels.AsSpan().CopyTo(pixels.AsSpan(s * DigitImage.Pixels));
            labels[s] = (byte)folder.Files[scoredFiles[s]].Label;
        }
        var scored = Evaluator.Evaluate(model, pixels, labels, scoredFiles.Length, cancellationToken: cancellationToken);
        return new ImageFolderResult(folder, inputs, scoredFiles, scored, model.Labels, groupColumn, prepareSeconds);
    }
}
