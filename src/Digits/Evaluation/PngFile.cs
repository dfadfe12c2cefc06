using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Writes charts as PNG files atomically: the image goes to a temporary file in the target folder, which is then
/// renamed over the target, so a reader (a web page, a report) never sees a half-written PNG and a failed render
/// leaves any earlier chart in place.
/// </summary>
internal static class PngFile
{
    /// <summary>Renders <paramref name="plot"/> at <paramref name="width"/> × <paramref name="height"/> pixels to <paramref name="path"/>.</summary>
    public static void Save(Plot plot, string path, int width, int height) =>
        Write(path, width, height, () => plot.GetImageBytes(width, height, ImageFormat.Png));

    /// <summary>Renders several plots laid out together (a <see cref="Multiplot"/>) to <paramref name="path"/>.</summary>
    public static void Save(Multiplot multiplot, string path, int width, int height) =>
        Write(path, width, height, () => multiplot.Render(width, height).GetImageBytes(ImageFormat.Png));

    private static void Write(string path, int width, int height, Func<byte[]> render)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target)!;
        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            byte[] png = render();
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(temporary, png);
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(temporary);
            throw new DigitsException(path, $"cannot write the chart: {e.Message}", e);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    private static void DeleteQuietly(string temporary)
    {
        try
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is the one worth reporting; a stray temporary file is named so it is recognisable.
        }
    }
}
