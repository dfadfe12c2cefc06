using System.CommandLine;
using Digits.Data;
using Digits.Imaging;

namespace Digits.Cli;

/// <summary>
/// <c>digits data show --images DIR</c>: a labelled image folder (a synth-scans or synth-fonts set, or any folder
/// <c>evaluate --images</c> takes) as a grid of colour thumbnails with their labels, for galleries in the docs.
/// </summary>
internal static class ShowImages
{
    public static readonly Option<string?> Images = new("--images")
    {
        Description = "Show pictures of a labelled image folder (labels.csv or one subfolder per label) as thumbnails, 28×SCALE px, instead of dataset images",
        HelpName = "DIR",
    };

    public static int Run(ParseResult parsed, string images, int first, int count, int columns, int scale, string path)
    {
        var folder = ImageFolder.Read(images, DatasetCatalog.Mnist.Labels);
        if (first >= folder.Files.Count)
            throw new InvalidOptionException("--from", $"must be below {folder.Files.Count} (the pictures in {images}), got {first}");
        var shown = folder.Files.Skip(first).Take(count).ToArray();
        OutputPath.Check(path, "--out", [.. folder.Files.Select(f => f.Path), Path.Combine(folder.Directory, ImageFolder.LabelsFile)]);
        columns = Math.Min(columns, shown.Length);
        var captions = shown.Select(Caption).ToArray();
        byte[] png;
        try
        {
            png = PictureGrid.RenderPng([.. shown.Select(f => f.Path)], captions, columns, DigitImage.Side * scale);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "tile")
        {
            throw new InvalidOptionException("--count, --columns, --scale", $"the picture would be too large ({e.Message.Split(" (Parameter")[0]}); use a smaller --count, --columns or --scale");
        }
        AtomicFile.WriteAllBytes(path, png);
        Terminal.Wrote(path, $"{shown.Length} pictures of {images}");
        if (parsed.GetValue(GlobalOptions.Json))
            JsonOutput.Print(new { @out = Path.GetFullPath(path), images = folder.Directory, from = first, count = shown.Length, columns });
        else
            Console.Out.WriteLine($"{shown.Length} pictures of {folder.Directory} ({first}..{first + shown.Length - 1}) in {path}");
        return CommandRunner.Ok;
    }

    /// <summary>
    /// The label, after the MNIST index it was drawn from (<c>#11892: 7</c>) when labels.csv has <c>source_index</c>, and
    /// the font on a second line when it has <c>font</c>.
    /// </summary>
    private static string Caption(LabeledImageFile file)
    {
        string label = DatasetCatalog.Mnist.Labels[file.Label];
        string first = file.Columns.TryGetValue("source_index", out var source) ? $"#{source}: {label}" : label;
        return file.Columns.TryGetValue("font", out var font) ? first + "\n" + font : first;
    }
}
