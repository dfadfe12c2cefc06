using SkiaSharp;

namespace Digits.Synthesis;

/// <summary>
/// Lays an <see cref="InkMask"/> on paper as a phone photo or a scan of it would arrive: paper of a slightly warm
/// white with a smooth random texture, dark ink (black to blue) in proportion to the mask's coverage, light falling
/// off across the page, then blur, sensor noise, and JPEG or PNG encoding. Everything is a function of the mask and
/// <see cref="PhotoParameters"/> (noise included, from <see cref="PhotoParameters.NoiseSeed"/>), so the same
/// inputs give the same bytes.
/// </summary>
public static class PhotoRenderer
{
    /// <summary>Blur below this σ (px) is skipped: it would change no pixel by a whole gray level.</summary>
    private const double SmallestBlur = 0.05;

    /// <summary>The encoded picture (JPEG or PNG, as <see cref="PhotoParameters.JpegQuality"/> says), RGB.</summary>
    public static byte[] Render(InkMask mask, PhotoParameters p)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(p);
        int width = mask.Width, height = mask.Height;
        var rng = new Rng(p.NoiseSeed);
        var texture = PaperTexture(width, height, p, rng);
        var (paperR, paperG, paperB) = (p.PaperLevel + 4, p.PaperLevel + 1, p.PaperLevel - 5);
        var (inkR, inkG, inkB) = (p.InkLevel * (1 - 0.6 * p.InkBlue), p.InkLevel * (1 - 0.4 * p.InkBlue), p.InkLevel + 90 * p.InkBlue);
        double cos = Math.Cos(p.LightAngle), sin = Math.Sin(p.LightAngle);
        double span = Math.Abs(width * cos) + Math.Abs(height * sin);

        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                // Position along the light's direction, 0 (full light) .. 1 (falloff), then ink over textured paper.
                double along = Math.Clamp(((x - width / 2.0) * cos + (y - height / 2.0) * sin) / span + 0.5, 0, 1);
                double light = 1 - p.LightFalloff * along;
                double c = mask.Coverage[i] / 255.0, t = texture[i];
                rgba[4 * i] = Level(light * ((paperR + t) * (1 - c) + inkR * c));
                rgba[4 * i + 1] = Level(light * ((paperG + t) * (1 - c) + inkG * c));
                rgba[4 * i + 2] = Level(light * ((paperB + t) * (1 - c) + inkB * c));
                rgba[4 * i + 3] = 255;
            }
        }
        if (p.BlurSigma >= SmallestBlur)
            rgba = Blur(rgba, width, height, (float)p.BlurSigma);
        if (p.Noise > 0)
        {
            for (int i = 0; i < width * height; i++)
            {
                double n = p.Noise * rng.NextGaussian();
                for (int ch = 0; ch < 3; ch++)
                    rgba[4 * i + ch] = Level(rgba[4 * i + ch] + n);
            }
        }
        return Encode(rgba, width, height, p.JpegQuality);
    }

    private static byte Level(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);

    /// <summary>
    /// A smooth random field in gray levels, ±<see cref="PhotoParameters.Texture"/>: two octaves of value noise, one with
    /// cells of half the digit height (uneven whiteness, creases) and one of a twelfth (fibres), interpolated smoothly.
    /// </summary>
    private static float[] PaperTexture(int width, int height, PhotoParameters p, Rng rng)
    {
        var field = new float[width * height];
        AddValueNoise(field, width, height, Math.Max(8, p.DigitHeight / 2), p.Texture * 2 / 3, rng);
        AddValueNoise(field, width, height, Math.Max(3, p.DigitHeight / 12), p.Texture / 3, rng);
        return field;
    }

    private static void AddValueNoise(float[] field, int width, int height, double cell, double amplitude, Rng rng)
    {
        int columns = (int)Math.Ceiling(width / cell) + 2, rows = (int)Math.Ceiling(height / cell) + 2;
        var grid = new float[columns * rows];
        for (int i = 0; i < grid.Length; i++)
            grid[i] = (float)(amplitude * (2 * rng.NextDouble() - 1));
        for (int y = 0; y < height; y++)
        {
            double gy = y / cell;
            int j = (int)gy;
            double fy = Smooth(gy - j);
            for (int x = 0; x < width; x++)
            {
                double gx = x / cell;
                int i = (int)gx;
                double fx = Smooth(gx - i);
                double top = grid[j * columns + i] * (1 - fx) + grid[j * columns + i + 1] * fx;
                double bottom = grid[(j + 1) * columns + i] * (1 - fx) + grid[(j + 1) * columns + i + 1] * fx;
                field[y * width + x] += (float)(top * (1 - fy) + bottom * fy);
            }
        }
    }

    /// <summary>Smoothstep, so the field has no creases at cell edges.</summary>
    private static double Smooth(double t) => t * t * (3 - 2 * t);

    /// <summary>Gaussian blur of σ px by Skia, edges clamped (the page goes on beyond the picture).</summary>
    private static byte[] Blur(byte[] rgba, int width, int height, float sigma)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var image = SKImage.FromPixelCopy(info, rgba);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        using (var filter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { ImageFilter = filter })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawImage(image, 0, 0, paint);
        }
        return bitmap.GetPixelSpan().ToArray();
    }

    private static byte[] Encode(byte[] rgba, int width, int height, int? jpegQuality)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        unsafe
        {
            fixed (byte* pixels = rgba)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)pixels, width * 4);
                using var data = jpegQuality is { } q
                    ? pixmap.Encode(new SKJpegEncoderOptions(q, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
                    : pixmap.Encode(SKPngEncoderOptions.Default);
                return data?.ToArray() ?? throw new InvalidOperationException($"Skia could not encode a {width}×{height} picture");
            }
        }
    }
}
