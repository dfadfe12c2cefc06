using Digits.Imaging;
using SkiaSharp;

namespace Digits.Tests.Imaging;

/// <summary>
/// Digits drawn by the project itself with pen-like strokes, so imaging tests and the committed
/// <c>samples/</c> never depend on MNIST data or on fonts. Glyphs are paths in a 60 × 100 unit box.
/// </summary>
internal static class SyntheticDigits
{
    /// <summary>Stroke width in glyph units (glyphs are 100 units tall): about MNIST's stroke relative to its 20 px box.</summary>
    public const float MnistStroke = 13f;

    /// <summary>The centre line of <paramref name="digit"/>, to be stroked with round caps.</summary>
    public static SKPath Glyph(int digit)
    {
        var p = new SKPath();
        switch (digit)
        {
            case 0:
                p.AddOval(new SKRect(0, 0, 60, 100));
                break;
            case 1:
                p.MoveTo(16, 20); p.LineTo(36, 0); p.LineTo(36, 100);
                break;
            case 2:
                p.MoveTo(4, 24); p.CubicTo(6, -6, 58, -6, 56, 28); p.CubicTo(54, 50, 20, 72, 2, 100); p.LineTo(60, 100);
                break;
            case 3:
                p.MoveTo(5, 12); p.CubicTo(25, -6, 60, 2, 52, 26); p.CubicTo(47, 42, 32, 47, 24, 47);
                p.CubicTo(45, 47, 62, 60, 58, 78); p.CubicTo(54, 100, 18, 104, 3, 88);
                break;
            case 4:
                p.MoveTo(44, 100); p.LineTo(44, 0); p.LineTo(0, 68); p.LineTo(60, 68);
                break;
            case 5:
                p.MoveTo(56, 0); p.LineTo(12, 0); p.LineTo(8, 44); p.CubicTo(30, 32, 60, 40, 58, 68);
                p.CubicTo(56, 100, 15, 104, 3, 88);
                break;
            case 6:
                p.MoveTo(50, 2); p.CubicTo(20, 10, 4, 40, 4, 68); p.CubicTo(4, 92, 20, 100, 31, 100);
                p.CubicTo(50, 100, 58, 86, 58, 72); p.CubicTo(58, 55, 45, 46, 31, 46); p.CubicTo(18, 46, 6, 55, 4, 68);
                break;
            case 7:
                p.MoveTo(2, 0); p.LineTo(58, 0); p.LineTo(22, 100);
                break;
            case 8:
                p.AddOval(new SKRect(8, 0, 52, 46)); p.AddOval(new SKRect(3, 46, 57, 100));
                break;
            case 9:
                p.AddOval(new SKRect(4, 0, 56, 50)); p.MoveTo(56, 25); p.CubicTo(56, 60, 50, 85, 40, 100);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(digit), digit, "must be 0..9");
        }
        return p;
    }

    static SKPaint Pen(float strokeWidth, SKColor colour) => new()
    {
        IsAntialias = true,
        Style = SKPaintStyle.Stroke,
        StrokeWidth = strokeWidth,
        StrokeCap = SKStrokeCap.Round,
        StrokeJoin = SKStrokeJoin.Round,
        Color = colour,
    };

    /// <summary>Bounds of the stroked glyph (ink extent, not centre line) after <paramref name="transform"/>.</summary>
    static SKRect InkBounds(int digit, SKMatrix transform, float strokeWidth)
    {
        using var glyph = Glyph(digit);
        using var pen = Pen(strokeWidth, SKColors.White);
        using var outline = pen.GetFillPath(glyph);
        outline.Transform(transform);
        return outline.Bounds;
    }

    /// <summary>
    /// The digit as MNIST would hold it: 28 × 28 bytes, white on black, antialiased, longer side of the ink
    /// 20 px, centre of mass at (14, 14) in pixel-centre coordinates. <paramref name="shear"/> slants it
    /// (horizontal shift per row downwards, about the glyph centre) before the box is fitted.
    /// </summary>
    public static byte[] MnistStyle(int digit, float shear = 0f)
    {
        var slant = SKMatrix.CreateSkew(shear, 0);
        slant = SKMatrix.CreateTranslation(0, -50).PostConcat(slant).PostConcat(SKMatrix.CreateTranslation(0, 50));
        var bounds = InkBounds(digit, slant, MnistStroke);
        float scale = MnistNormalizer.BoxSize / Math.Max(bounds.Width, bounds.Height);
        var fit = slant.PostConcat(SKMatrix.CreateTranslation(-bounds.MidX, -bounds.MidY)).PostConcat(SKMatrix.CreateScale(scale, scale));

        var pixels = DrawWhiteOnBlack(digit, fit.PostConcat(SKMatrix.CreateTranslation(14, 14)), MnistStroke);
        var (cx, cy) = CentreOfMass(pixels);
        var centred = fit.PostConcat(SKMatrix.CreateTranslation((float)(14 + 14 - cx), (float)(14 + 14 - cy)));
        return DrawWhiteOnBlack(digit, centred, MnistStroke);
    }

    static byte[] DrawWhiteOnBlack(int digit, SKMatrix transform, float strokeWidth)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Black);
            canvas.SetMatrix(transform);
            using var glyph = Glyph(digit);
            using var pen = Pen(strokeWidth, SKColors.White);
            canvas.DrawPath(glyph, pen);
        }
        return RedChannel(bitmap);
    }

    /// <summary>How a phone photo of a handwritten digit is staged.</summary>
    /// <param name="InkHeight">Glyph height as a fraction of the photo height.</param>
    /// <param name="CentreX">Glyph centre, fraction of the width.</param>
    /// <param name="CentreY">Glyph centre, fraction of the height.</param>
    /// <param name="RotationDegrees">Clockwise tilt of the paper.</param>
    /// <param name="Stroke">Pen width in glyph units (100 = glyph height).</param>
    /// <param name="Noise">Sensor noise, standard deviation in gray levels.</param>
    /// <param name="Specks">Small dark dots (dust, paper fibres) scattered away from the digit.</param>
    public sealed record PhotoStyle(
        float InkHeight = 0.45f, float CentreX = 0.55f, float CentreY = 0.45f, float RotationDegrees = 0f,
        float Stroke = MnistStroke, float Noise = 6f, int Specks = 5);

    /// <summary>
    /// A colour "photo": dark blue ink on off-white paper lit unevenly (brighter top left), with noise and
    /// specks. Deterministic for a given <paramref name="seed"/>.
    /// </summary>
    public static SKBitmap Photo(int digit, int width, int height, int seed, PhotoStyle? style = null)
    {
        style ??= new PhotoStyle();
        var rng = new Random(seed);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            using (var light = SKShader.CreateLinearGradient(
                new SKPoint(0, 0), new SKPoint(width, height),
                [new SKColor(236, 232, 222), new SKColor(176, 170, 160)], SKShaderTileMode.Clamp))
            using (var paper = new SKPaint { Shader = light })
                canvas.DrawRect(0, 0, width, height, paper);

            float scale = style.InkHeight * height / 100f;
            canvas.Translate(style.CentreX * width, style.CentreY * height);
            canvas.RotateDegrees(style.RotationDegrees);
            canvas.Scale(scale);
            canvas.Translate(-30, -50);
            using (var glyph = Glyph(digit))
            using (var pen = Pen(style.Stroke, new SKColor(35, 40, 70)))
                canvas.DrawPath(glyph, pen);

            canvas.ResetMatrix();
            using var dot = new SKPaint { IsAntialias = true, Color = new SKColor(60, 60, 60) };
            for (int i = 0; i < style.Specks; i++)
            {
                // Specks sit in the outer band of the photo, away from the digit.
                float x = rng.Next(2) == 0 ? rng.NextSingle() * 0.15f : 0.85f + rng.NextSingle() * 0.15f;
                canvas.DrawCircle(x * width, rng.NextSingle() * height, 1f + rng.NextSingle() * height / 300f, dot);
            }
        }
        AddNoise(bitmap, style.Noise, rng);
        return bitmap;
    }

    /// <summary>A page with <paramref name="digits"/> written in a row in dark pen on light paper, each glyph
    /// 250 px tall and 150 px wide, glyph centres <paramref name="pitch"/> px apart: the default leaves a gap
    /// of about half a digit's height between the widest glyphs.</summary>
    public static GrayImage InARow(int[] digits, float pitch = 300f)
    {
        int width = (int)(pitch * digits.Length + 200);
        using var bitmap = new SKBitmap(new SKImageInfo(width, 500, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(230, 228, 220));
            using var pen = new SKPaint
            {
                IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 12f, StrokeCap = SKStrokeCap.Round,
                StrokeJoin = SKStrokeJoin.Round, Color = new SKColor(30, 30, 60),
            };
            for (int i = 0; i < digits.Length; i++)
            {
                canvas.Save();
                canvas.Translate(100 + pitch * (i + 0.5f), 250);
                canvas.Scale(2.5f);
                canvas.Translate(-30, -50);
                using var glyph = Glyph(digits[i]);
                canvas.DrawPath(glyph, pen);
                canvas.Restore();
            }
        }
        return SyntheticDigits.ToGray(bitmap);
    }

    /// <summary>Luminance of an opaque <paramref name="bitmap"/>, with the weights <see cref="ImageDecoder"/> uses.</summary>
    public static GrayImage ToGray(SKBitmap bitmap)
    {
        var rgba = bitmap.GetPixelSpan();
        var gray = new byte[bitmap.Width * bitmap.Height];
        for (int i = 0; i < gray.Length; i++)
            gray[i] = (byte)((299 * rgba[4 * i] + 587 * rgba[4 * i + 1] + 114 * rgba[4 * i + 2] + 500) / 1000);
        return new GrayImage(bitmap.Width, bitmap.Height, gray);
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 100)
    {
        using var data = bitmap.Encode(format, quality) ?? throw new InvalidOperationException($"Skia cannot encode {format}");
        return data.ToArray();
    }

    static void AddNoise(SKBitmap bitmap, float sigma, Random rng)
    {
        if (sigma == 0)
            return;
        // Gaussian offsets (Box–Muller) drawn once, then picked at random per pixel: fast enough for 12 MP.
        var offsets = new int[4096];
        for (int i = 0; i < offsets.Length; i++)
            offsets[i] = (int)Math.Round(sigma * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        var pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i += 4)
        {
            // The same offset on R, G and B is luminance noise, as a phone sensor mostly shows.
            int n = offsets[rng.Next(offsets.Length)];
            for (int c = 0; c < 3; c++)
                pixels[i + c] = (byte)Math.Clamp(pixels[i + c] + n, 0, 255);
        }
    }

    static byte[] RedChannel(SKBitmap bitmap)
    {
        var rgba = bitmap.GetPixelSpan();
        var red = new byte[bitmap.Width * bitmap.Height];
        for (int i = 0; i < red.Length; i++)
            red[i] = rgba[i * 4];
        return red;
    }

    /// <summary>Pearson correlation of two equally long images.</summary>
    public static double Correlation(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length; mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>Mean absolute difference in gray levels.</summary>
    public static double MeanAbsDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += Math.Abs(a[i] - b[i]);
        return (double)sum / a.Length;
    }

    /// <summary>Centre of mass of a 28 × 28 byte image in pixel-centre coordinates.</summary>
    public static (double X, double Y) CentreOfMass(ReadOnlySpan<byte> img)
    {
        var f = new float[img.Length];
        for (int i = 0; i < img.Length; i++)
            f[i] = img[i];
        return MnistNormalizer.CentreOfMass(f, 28, 28);
    }
}
