using Digits.Imaging;
using SkiaSharp;

namespace Digits.Evaluation;

/// <summary>
/// Draws an occlusion map (<see cref="Saliency"/>) for people: the 28×28 image the model saw and, beside it at the
/// same size, the map laid over a dimmed copy of it, red where hiding the ink lowers the answer's probability and
/// blue where it raises it. A colour's strength is the square root of the value over the largest absolute value, so
/// the strongest evidence is at full strength and weaker evidence still shows. Text uses the built-in
/// bitmap font of <see cref="DigitGrid"/>, so no system font is needed.
/// </summary>
public static class SaliencyPicture
{
    /// <summary>How much each of the 28×28 pixels is enlarged.</summary>
    public const int Scale = 10;

    private const int Font = 2, TitleFont = 3;
    private const byte Page = 255, Text = 32;

    /// <summary>How bright the image under the map stays, 0–1: enough to see the strokes, dim enough for the colours.</summary>
    private const double Dim = 0.35;

    private static readonly (byte R, byte G, byte B) Supports = (215, 38, 30), Opposes = (35, 95, 225);

    /// <summary>Writes the picture to <paramref name="path"/> as a PNG, through <see cref="AtomicFile"/>.</summary>
    public static void Save(string path, ReadOnlySpan<byte> image, ReadOnlySpan<float> saliency, int label, string title) =>
        AtomicFile.WriteAllBytes(path, RenderPng(image, saliency, label, title));

    /// <summary>Renders the input and its map side by side, under <paramref name="title"/>, with a legend naming <paramref name="label"/>.</summary>
    /// <param name="image">28×28 bytes, white ink on black.</param>
    /// <param name="saliency">784 values from <see cref="Saliency.Occlusion"/>.</param>
    /// <param name="label">The digit whose probability the map follows, for the legend.</param>
    public static byte[] RenderPng(ReadOnlySpan<byte> image, ReadOnlySpan<float> saliency, int label, string title)
    {
        const int side = DigitImage.Side;
        if (image.Length != DigitImage.Pixels)
            throw new ArgumentException($"must be {DigitImage.Pixels} bytes (28×28), got {image.Length}", nameof(image));
        if (saliency.Length != DigitImage.Pixels)
            throw new ArgumentException($"must hold {DigitImage.Pixels} values, got {saliency.Length}", nameof(saliency));
        ArgumentNullException.ThrowIfNull(title);

        string[] labels = ["WHAT THE MODEL SAW", $"WHERE IT READS {label}"];
        string[] legend = [$"RED: HIDING THE INK THERE LOWERS P({label})", $"BLUE: HIDING IT RAISES P({label})"];
        int tile = side * Scale, gap = 2 * Scale, lineGap = 2 * Font;
        int textHeight = DigitGrid.BitmapFont.Height(Font), titleHeight = DigitGrid.BitmapFont.Height(TitleFont);
        int widest = Math.Max(DigitGrid.BitmapFont.Width(title.Length, TitleFont), legend.Max(l => DigitGrid.BitmapFont.Width(l.Length, Font)));
        int width = Math.Max(3 * gap + 2 * tile, widest + 2 * gap);
        int tilesTop = gap + titleHeight + gap;
        int labelsTop = tilesTop + tile + gap / 2;
        int legendTop = labelsTop + textHeight + gap;
        int height = legendTop + legend.Length * (textHeight + lineGap) - lineGap + gap;

        var gray = new byte[width * height];
        Array.Fill(gray, Page);
        DigitGrid.BitmapFont.Draw(gray, width, gap, gap, title, TitleFont, Text);
        int leftTile = (width - 2 * tile - gap) / 2, rightTile = leftTile + tile + gap;
        for (int t = 0; t < 2; t++)
        {
            int tileLeft = t == 0 ? leftTile : rightTile;
            int textWidth = DigitGrid.BitmapFont.Width(labels[t].Length, Font);
            DigitGrid.BitmapFont.Draw(gray, width, tileLeft + Math.Max(0, (tile - textWidth) / 2), labelsTop, labels[t], Font, Text);
        }
        for (int l = 0; l < legend.Length; l++)
            DigitGrid.BitmapFont.Draw(gray, width, leftTile, legendTop + l * (textHeight + lineGap), legend[l], Font, Text);

        var rgba = new byte[width * height * 4];
        for (int i = 0; i < gray.Length; i++)
        {
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = gray[i];
            rgba[4 * i + 3] = 255;
        }
        float strongest = 0;
        foreach (float s in saliency)
            strongest = Math.Max(strongest, Math.Abs(s));
        for (int y = 0; y < tile; y++)
        {
            for (int x = 0; x < tile; x++)
            {
                int source = y / Scale * side + x / Scale;
                byte ink = image[source];
                Put(rgba, width, leftTile + x, tilesTop + y, (ink, ink, ink));
                double v = strongest > 0 ? saliency[source] / strongest : 0;
                Put(rgba, width, rightTile + x, tilesTop + y, Blend(ink * Dim, v >= 0 ? Supports : Opposes, Math.Sqrt(Math.Abs(v))));
            }
        }
        return EncodePng(rgba, width, height);
    }

    /// <summary>The dimmed gray <paramref name="under"/> mixed with <paramref name="colour"/> by <paramref name="amount"/> (0–1).</summary>
    private static (byte R, byte G, byte B) Blend(double under, (byte R, byte G, byte B) colour, double amount)
    {
        byte Mix(byte c) => (byte)Math.Round(under + (c - under) * amount);
        return (Mix(colour.R), Mix(colour.G), Mix(colour.B));
    }

    private static void Put(byte[] rgba, int width, int x, int y, (byte R, byte G, byte B) colour)
    {
        int i = 4 * (y * width + x);
        (rgba[i], rgba[i + 1], rgba[i + 2]) = colour;
    }

    private static byte[] EncodePng(byte[] rgba, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        unsafe
        {
            fixed (byte* p = rgba)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)p, width * 4);
                using var data = pixmap.Encode(SKPngEncoderOptions.Default)
                    ?? throw new InvalidOperationException($"Skia could not encode a {width}×{height} PNG");
                return data.ToArray();
            }
        }
    }
}
