using Digits.Imaging;
using SkiaSharp;

namespace Digits.Tests.Imaging;

/// <summary>
/// The example pictures in <c>samples/</c> drawn by <see cref="SyntheticDigits"/> (never MNIST data); the
/// <c>font-*</c> samples come from <c>digits data synth-fonts --count 10 --seed 3</c> and are checked by the predict
/// tests. Run with <c>DIGITS_REGENERATE_SAMPLES=1</c> to rewrite them; otherwise the committed files are only checked.
/// </summary>
public class SampleImagesTests
{
    public static TheoryData<string, int> Samples => new()
    {
        { "photo-3.jpg", 3 },
        { "photo-7-exif-rotated.jpg", 7 },
        { "canvas-2.png", 2 },
        { "canvas-5.png", 5 },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_is_small_and_normalizes_to_its_digit(string file, int digit)
    {
        var path = Path.Combine(SamplesFolder(), file);
        if (Environment.GetEnvironmentVariable("DIGITS_REGENERATE_SAMPLES") == "1")
            File.WriteAllBytes(path, Generate(file, digit));

        Assert.InRange(new FileInfo(path).Length, 1, 300_000);
        var normalized = MnistNormalizer.Normalize(ImageDecoder.Decode(path), name: file);
        var correlation = SyntheticDigits.Correlation(SyntheticDigits.MnistStyle(digit), normalized);
        Assert.True(correlation > 0.8, $"{file}: correlation {correlation:F3} with the clean rendering");
    }

    static byte[] Generate(string file, int digit) => file switch
    {
        "photo-3.jpg" => PhonePhoto(digit, seed: 3, rotation: -5f, sideways: false),
        "photo-7-exif-rotated.jpg" => PhonePhoto(digit, seed: 7, rotation: 4f, sideways: true),
        "canvas-2.png" => CanvasDrawing(digit, SKColors.Transparent),
        "canvas-5.png" => CanvasDrawing(digit, SKColors.White),
        _ => throw new ArgumentOutOfRangeException(nameof(file), file, "unknown sample"),
    };

    /// <summary>A 900 × 1200 JPEG of a marker-pen digit on unevenly lit paper. <paramref name="sideways"/> stores
    /// it rotated 90° anticlockwise with EXIF orientation 6, as phones held upright do.</summary>
    static byte[] PhonePhoto(int digit, int seed, float rotation, bool sideways)
    {
        var style = new SyntheticDigits.PhotoStyle(InkHeight: 0.38f, CentreX: 0.52f, CentreY: 0.47f,
            RotationDegrees: rotation, Stroke: 10f, Noise: 5f, Specks: 6);
        using var upright = SyntheticDigits.Photo(digit, 900, 1200, seed, style);
        if (!sideways)
            return SyntheticDigits.Encode(upright, SKEncodedImageFormat.Jpeg, 80);
        using var stored = new SKBitmap(new SKImageInfo(1200, 900, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(stored))
        {
            canvas.Translate(0, 900);
            canvas.RotateDegrees(-90);
            canvas.DrawBitmap(upright, 0, 0);
        }
        return HandMadeFiles.WithExifOrientation(SyntheticDigits.Encode(stored, SKEncodedImageFormat.Jpeg, 80), 6);
    }

    /// <summary>A blank page: paper-coloured, lit a little unevenly, with sensor noise and no ink at all.</summary>
    [Fact]
    public void Blank_page_sample_holds_no_digit()
    {
        var path = Path.Combine(SamplesFolder(), "blank-page.jpg");
        if (Environment.GetEnvironmentVariable("DIGITS_REGENERATE_SAMPLES") == "1")
            File.WriteAllBytes(path, BlankPage());

        Assert.InRange(new FileInfo(path).Length, 1, 300_000);
        var result = MnistNormalizer.TryNormalize(ImageDecoder.Decode(path));
        Assert.Equal(NormalizeStatus.NoDigit, result.Status);
    }

    /// <summary>A 600 × 800 JPEG of cream paper, brighter at the top left, with faint per-pixel noise.</summary>
    static byte[] BlankPage()
    {
        const int width = 600, height = 800;
        var random = new Random(11);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double light = 1 - 0.06 * (x + y) / (width + height) + (random.NextDouble() - 0.5) * 0.02;
                bitmap.SetPixel(x, y, new SKColor((byte)(243 * light), (byte)(236 * light), (byte)(221 * light)));
            }
        }
        return SyntheticDigits.Encode(bitmap, SKEncodedImageFormat.Jpeg, 80);
    }

    /// <summary>A 280 × 280 PNG of black strokes on a canvas of <paramref name="background"/>: a web drawing pad
    /// exports transparent or white.</summary>
    static byte[] CanvasDrawing(int digit, SKColor background)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(280, 280, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(background);
            canvas.Translate(140, 135);
            canvas.Scale(1.9f);
            canvas.Translate(-30, -50);
            using var glyph = SyntheticDigits.Glyph(digit);
            using var pen = new SKPaint
            {
                IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 12f,
                StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round, Color = SKColors.Black,
            };
            canvas.DrawPath(glyph, pen);
        }
        return SyntheticDigits.Encode(bitmap, SKEncodedImageFormat.Png);
    }

    static string SamplesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Digits.slnx")))
                return Path.Combine(dir.FullName, "samples");
        }
        throw new DirectoryNotFoundException($"no Digits.slnx above {AppContext.BaseDirectory}");
    }
}
