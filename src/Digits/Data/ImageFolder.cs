namespace Digits.Data;

/// <summary>One picture of a labelled image folder.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Name">The file as the folder names it: its labels.csv entry, or <c>LABEL/file.png</c>.</param>
/// <param name="Label">The true class position in the labels the folder was read with.</param>
/// <param name="Columns">The row's other labels.csv columns by header name (e.g. <c>font</c>, <c>source_index</c>);
/// empty for a subfolder-per-label folder.</param>
public sealed record LabeledImageFile(string Path, string Name, int Label, IReadOnlyDictionary<string, string> Columns);

/// <summary>How a labelled image folder gives its labels.</summary>
public enum ImageFolderLayout
{
    /// <summary>A <c>labels.csv</c> with the columns <c>file,label</c> (more columns are kept, not needed).</summary>
    LabelsCsv,

    /// <summary>One subfolder per label (<c>0/</c>, <c>1/</c>, …) holding that label's pictures.</summary>
    Subfolders,
}

/// <summary>
/// A folder of labelled pictures, as <c>evaluate --images</c> (and later <c>finetune</c>) take them: either a
/// <c>labels.csv</c> whose rows are <c>file,label</c> (the header names the columns; extra columns such as a
/// synthetic set's <c>font</c> are kept for grouping), or one subfolder per label. A labels.csv wins when both are
/// there. Reading checks every row and that every file exists, and says which line of which file is wrong, before any
/// picture is decoded; the pictures themselves are read later (<see cref="Imaging.DigitInput"/>).
/// </summary>
public sealed class ImageFolder
{
    /// <summary>The name of the labels file in the folder.</summary>
    public const string LabelsFile = "labels.csv";

    /// <summary>File extensions taken as pictures in a subfolder-per-label folder (compared without regard to case).</summary>
    public static readonly IReadOnlyList<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    private ImageFolder(string directory, ImageFolderLayout layout, IReadOnlyList<string> extraColumns, IReadOnlyList<LabeledImageFile> files)
    {
        Directory = directory;
        Layout = layout;
        ExtraColumns = extraColumns;
        Files = files;
    }

    /// <summary>The folder, as a full path.</summary>
    public string Directory { get; }

    public ImageFolderLayout Layout { get; }

    /// <summary>labels.csv's columns after <c>file</c> and <c>label</c>, in header order.</summary>
    public IReadOnlyList<string> ExtraColumns { get; }

    /// <summary>Every picture, in labels.csv order, or by label and then file name (ordinal) for subfolders.</summary>
    public IReadOnlyList<LabeledImageFile> Files { get; }

    /// <summary>Reads the folder's labels against <paramref name="labels"/> (a digit model's are <c>0</c>…<c>9</c>).</summary>
    /// <param name="argument">What the folder was given as, for errors about the path itself, e.g. <c>--images</c>.</param>
    /// <exception cref="InvalidOptionException">The path is empty.</exception>
    /// <exception cref="DigitsException">The folder is missing or a file, holds neither labels.csv nor label subfolders,
    /// holds no pictures, or labels.csv has a bad row (the message names the file and the line).</exception>
    public static ImageFolder Read(string path, IReadOnlyList<string> labels, string argument = "--images")
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (string.IsNullOrWhiteSpace(path))
            throw new InvalidOptionException(argument, "the path is empty; give a folder of labelled images");
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
            throw new DigitsException(path, "is a file, expected a folder with labels.csv or one subfolder per label");
        if (!System.IO.Directory.Exists(full))
            throw new DigitsException(path, "folder not found");
        string csv = System.IO.Path.Combine(full, LabelsFile);
        if (File.Exists(csv))
            return FromCsv(full, System.IO.Path.Combine(path, LabelsFile), labels);
        return FromSubfolders(full, path, labels);
    }

    private static ImageFolder FromCsv(string directory, string csvName, IReadOnlyList<string> labels)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(System.IO.Path.Combine(directory, LabelsFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DigitsException(csvName, "cannot read: " + e.Message, e);
        }
        if (lines.Length == 0 || string.IsNullOrWhiteSpace(lines[0]))
            throw new DigitsException(csvName, "is empty; expected a header line 'file,label' and one row per image");
        var header = CsvFields.Split(lines[0].TrimStart('\uFEFF'));
        if (header.Count < 2 || !header[0].Equals("file", StringComparison.OrdinalIgnoreCase) || !header[1].Equals("label", StringComparison.OrdinalIgnoreCase))
            throw new DigitsException(csvName, $"line 1: header is '{lines[0]}', expected it to start with 'file,label'");
        var extra = header.Skip(2).ToArray();

        var files = new List<LabeledImageFile>(lines.Length - 1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n]))
                continue;
            string where = $"line {n + 1}";
            var fields = CsvFields.Split(lines[n]);
            if (fields.Count < 2)
                throw new DigitsException(csvName, $"{where}: '{lines[n]}' has {fields.Count} column, expected at least 2 (file,label)");
            string name = fields[0].Trim(), labelText = fields[1].Trim();
            if (name.Length == 0)
                throw new DigitsException(csvName, $"{where}: the file name is empty");
            int label = IndexOf(labels, labelText);
            if (label < 0)
                throw new DigitsException(csvName, $"{where}: label '{labelText}' is not one of {Describe(labels)}");
            string file = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, name));
            if (!File.Exists(file))
                throw new DigitsException(csvName, $"{where}: {name} not found in {directory}");
            if (!seen.Add(file))
                throw new DigitsException(csvName, $"{where}: {name} is listed twice");
            var columns = new Dictionary<string, string>(extra.Length);
            for (int c = 0; c < extra.Length; c++)
                columns[extra[c]] = c + 2 < fields.Count ? fields[c + 2].Trim() : "";
            files.Add(new LabeledImageFile(file, name, label, columns));
        }
        if (files.Count == 0)
            throw new DigitsException(csvName, "lists no images; expected one row 'file,label' per image after the header");
        return new ImageFolder(directory, ImageFolderLayout.LabelsCsv, extra, files);
    }

    private static ImageFolder FromSubfolders(string directory, string shownPath, IReadOnlyList<string> labels)
    {
        var files = new List<LabeledImageFile>();
        bool anySubfolder = false;
        var empty = new Dictionary<string, string>();
        for (int label = 0; label < labels.Count; label++)
        {
            string sub = System.IO.Path.Combine(directory, labels[label]);
            if (!System.IO.Directory.Exists(sub))
                continue;
            anySubfolder = true;
            var pictures = System.IO.Directory.EnumerateFiles(sub)
                .Where(f => ImageExtensions.Contains(System.IO.Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (string file in pictures)
                files.Add(new LabeledImageFile(file, labels[label] + "/" + System.IO.Path.GetFileName(file), label, empty));
        }
        if (!anySubfolder)
            throw new DigitsException(shownPath, $"holds neither {LabelsFile} nor a subfolder per label ({string.Join(", ", labels.Take(3).Select(l => l + "/"))}, …); nothing to evaluate");
        if (files.Count == 0)
            throw new DigitsException(shownPath, $"its label subfolders hold no images ({string.Join(", ", ImageExtensions)})");
        return new ImageFolder(directory, ImageFolderLayout.Subfolders, [], files);
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] == label)
                return i;
        }
        return -1;
    }

    private static string Describe(IReadOnlyList<string> labels) =>
        labels.Count <= 12 ? string.Join(", ", labels) : $"{string.Join(", ", labels.Take(10))}, … ({labels.Count} labels)";
}
