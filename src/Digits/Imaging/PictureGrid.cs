using SkiaSharp;

namespace Digits.Imaging;

/// <summary>
/// Renders picture files of any size as a captioned grid of colour thumbnails (PNG): each picture scaled down, aspect
/// kept, to fit a square tile, with a caption of one or more lines under it, as <see cref="DigitGrid"/> lays out 28×28
/// digits and with its built-in bitmap font (no font file needed). Used for galleries of photo-like sets, where the
/// paper, light and ink colour are the point, so the thumbnails are the files' own colours.
/// </summary>
public static class PictureGrid
{
    private const byte Page = 255, Text = 32;

    /// <summary>Renders the files in order, <paramref name="columns"/> per row, each in a <paramref name="tile"/>-px square.</summary>
    /// <param name="captions">One caption per file; <c>\n</c> separates lines. Characters the font lacks print as <c>?</c>.</param>
    /// <param name="heading">Lines above the grid, the first larger, as in <see cref="DigitGrid"/>; null for none.</param>
    /// <exception cref="InvalidImageException">A file cannot be decoded.</exception>
    public static byte[] RenderPng(IReadOnlyList<string> files, IReadOnlyList<string> captions, int columns, int tile, IReadOnlyList<string>? heading = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tile, 8);
        if (captions.Count != files.Count)
            throw new ArgumentException($"must hold one caption per file ({files.Count}), has {captions.Count}", nameof(captions));
        heading ??= [];
        int font = Math.Max(1, tile / 40), titleFont = font + 1, gap = Math.Max(4, tile / 14), lineGap = 2 * font;
        var lines = captions.Select(c => c.Split('\n')).ToArray();
        int longest = lines.Length == 0 ? 0 : lines.Max(l => l.Max(line => line.Length));
        int lineCount = lines.Length == 0 ? 1 : lines.Max(l => l.Length);
        int cellW = Math.Max(tile + gap, DigitGrid.BitmapFont.Width(longest + 2, font));
        int cellH = tile + gap + lineCount * DigitGrid.BitmapFont.Height(font) + (lineCount - 1) * lineGap + 2 * gap;
        int headingH = 0, headingW = 0;
        for (int h = 0; h < heading.Count; h++)
        {
            int f = h == 0 ? titleFont : font;
            headingH += DigitGrid.BitmapFont.Height(f) + lineGap;
            headingW = Math.Max(headingW, DigitGrid.BitmapFont.Width(heading[h].Length, f));
        }
        int gridTop = gap + (heading.Count == 0 ? 0 : headingH - lineGap + 2 * gap);
        int rows = Math.Max(1, (files.Count + columns - 1) / columns);
        int width = Math.Max(Math.Min(columns, Math.Max(1, files.Count)) * cellW + gap, headingW + 2 * gap);
        int height = gridTop + rows * cellH;
        if ((long)width * height > ImageDecoder.MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(tile), $"the picture would be {width}x{height} pixels, more than {ImageDecoder.MaxPixels:N0}");

        // Text goes on a gray page with the bitmap font, which then becomes the RGB page the thumbnails are drawn on.
        var gray = new byte[width * height];
        Array.Fill(gray, Page);
        int y0 = gap;
        for (int h = 0; h < heading.Count; h++)
        {
            int f = h == 0 ? titleFont : font;
            DigitGrid.BitmapFont.Draw(gray, width, gap, y0, heading[h], f, Text);
            y0 += DigitGrid.BitmapFont.Height(f) + lineGap;
        }
        var boxes = new SKRect[files.Count];
        for (int n = 0; n < files.Count; n++)
        {
            int left = gap + n % columns * cellW, top = gridTop + n / columns * cellH, inner = cellW - gap;
            boxes[n] = SKRect.Create(left + (inner - tile) / 2, top, tile, tile);
            int lineTop = top + tile + gap;
            foreach (var line in lines[n])
            {
                DigitGrid.BitmapFont.Draw(gray, width, left + (inner - DigitGrid.BitmapFont.Width(line.Length, font)) / 2, lineTop, line, font, Text);
                lineTop += DigitGrid.BitmapFont.Height(font) + lineGap;
            }
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        var rgba = bitmap.GetPixelSpan();
        for (int i = 0; i < gray.Length; i++)
        {
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = gray[i];
            rgba[4 * i + 3] = 255;
        }
        using (var canvas = new SKCanvas(bitmap))
        {
            var sampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
            for (int n = 0; n < files.Count; n++)
            {
                using var picture = Decode(files[n]);
                float scale = Math.Min(tile / (float)picture.Width, tile / (float)picture.Height);
                float w = picture.Width * scale, h = picture.Height * scale;
                var box = boxes[n];
                canvas.DrawImage(picture, SKRect.Create(box.MidX - w / 2, box.MidY - h / 2, w, h), sampling);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"Skia could not encode a {width}×{height} PNG");
        return data.ToArray();
    }

    private static SKImage Decode(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidImageException(file, e is FileNotFoundException ? "file not found" : e.Message, e);
        }
        using var data = SKData.CreateCopy(bytes);
        using (var codec = SKCodec.Create(data))
        {
            if (codec is null)
                throw new InvalidImageException(file, "not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)");
            if ((long)codec.Info.Width * codec.Info.Height > ImageDecoder.MaxPixels)
                throw new ImageTooLargeException(file, codec.Info.Width, codec.Info.Height);
        }
        return SKImage.FromEncodedData(data) ?? throw new InvalidImageException(file, "corrupt image data");
    }
}
