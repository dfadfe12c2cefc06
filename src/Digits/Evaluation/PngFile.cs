using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Writes charts as PNG files through <see cref="AtomicFile"/>, so a reader (a web page, a report) never sees a
/// half-written PNG and a failed render leaves any earlier chart in place.
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
        AtomicFile.WriteAllBytes(path, render());
    }
}
