using System.Text;
using Digits.Data;

namespace Digits.Synthesis;

/// <summary>One picture of a synthetic set, rendered and encoded, before it is written.</summary>
/// <param name="Encoded">The file's bytes.</param>
/// <param name="Extension"><c>.jpg</c> or <c>.png</c>.</param>
/// <param name="Label">The digit drawn, 0–9.</param>
/// <param name="Columns">The values of the set's extra labels.csv columns, in their order.</param>
public sealed record SynthImage(byte[] Encoded, string Extension, int Label, IReadOnlyList<string> Columns);

/// <summary>What <see cref="SynthSet.Write"/> wrote.</summary>
/// <param name="Folder">The set's folder, as a full path.</param>
/// <param name="Labels">The labels.csv written last, as a full path.</param>
/// <param name="ClassCounts">Pictures per digit.</param>
/// <param name="Bytes">Bytes of pictures written.</param>
public sealed record SynthSetResult(string Folder, string Labels, int Count, int[] ClassCounts, long Bytes);

/// <summary>
/// Writes a synthetic set as a labelled image folder (<see cref="ImageFolder"/>): pictures <c>000000.jpg</c>,
/// <c>000001.png</c>, … and a <c>labels.csv</c> (<c>file,label,</c> then the set's own columns), which is written
/// last, so a folder with a labels.csv holds a whole set. Pictures are rendered on all cores; each picture's
/// randomness is its own stream, so the files are the same for any number of threads.
/// </summary>
public static class SynthSet
{
    /// <summary>
    /// Checks before any work that <paramref name="folder"/> can take a new set: it is a new or empty folder (so a set
    /// never mixes with other files, and nothing there is overwritten), and it takes new files with room for about
    /// <paramref name="bytesNeeded"/> bytes.
    /// </summary>
    /// <returns>The folder as a full path.</returns>
    /// <exception cref="InvalidOptionException">The path is empty, a file, a folder that is not empty, or an input.</exception>
    /// <exception cref="DigitsException">The folder cannot be created or written, or the disk is too full.</exception>
    public static string CheckFolder(string folder, string option, IEnumerable<string?> inputs, long bytesNeeded)
    {
        if (string.IsNullOrWhiteSpace(folder))
            throw new InvalidOptionException(option, "is empty; give a new or empty folder for the set");
        string full = Path.GetFullPath(folder);
        if (File.Exists(full))
            throw new InvalidOptionException(option, $"{folder} is a file; give a new or empty folder for the set");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new InvalidOptionException(option, $"{folder} is not empty; give a new or empty folder, so that the set never mixes with other files");
        OutputPath.Check(Path.Combine(full, ImageFolder.LabelsFile), option, inputs, bytesNeeded);
        return full;
    }

    /// <summary>Renders and writes <paramref name="count"/> pictures, then labels.csv.</summary>
    /// <param name="columns">The set's labels.csv columns after <c>file,label</c>.</param>
    /// <param name="render">Renders picture <c>i</c>; called from several threads at once.</param>
    /// <param name="progress">Told how many pictures are written so far.</param>
    /// <param name="cancellationToken">Checked before each picture; a cancel leaves the pictures written so far and no labels.csv.</param>
    public static SynthSetResult Write(string folder, int count, IReadOnlyList<string> columns, Func<int, SynthImage> render,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(render);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        string full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        var rows = new string[count];
        var labels = new int[count];
        long bytes = 0;
        int done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, count, parallel, i =>
        {
            var image = render(i);
            if (image.Columns.Count != columns.Count)
                throw new InvalidOperationException($"picture {i} has {image.Columns.Count} column values for {columns.Count} columns");
            string name = FileName(i, image.Extension);
            AtomicFile.WriteAllBytes(Path.Combine(full, name), image.Encoded);
            rows[i] = CsvFields.Join([name, image.Label.ToString(System.Globalization.CultureInfo.InvariantCulture), .. image.Columns]);
            labels[i] = image.Label;
            Interlocked.Add(ref bytes, image.Encoded.Length);
            progress?.Report(Interlocked.Increment(ref done));
        });

        var csv = new StringBuilder();
        csv.Append(CsvFields.Join(["file", "label", .. columns])).Append('\n');
        foreach (string row in rows)
            csv.Append(row).Append('\n');
        string labelsPath = Path.Combine(full, ImageFolder.LabelsFile);
        AtomicFile.WriteAllBytes(labelsPath, Encoding.UTF8.GetBytes(csv.ToString()));
        var classCounts = new int[10];
        foreach (int label in labels)
            classCounts[label]++;
        return new SynthSetResult(full, labelsPath, count, classCounts, bytes);
    }

    /// <summary>The name of picture <paramref name="index"/>: six digits, then the extension, e.g. <c>000123.jpg</c>.</summary>
    public static string FileName(int index, string extension) => index.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + extension;
}
