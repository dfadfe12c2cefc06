using Digits.Imaging;
using SkiaSharp;

namespace Digits.Tests.Imaging;

public sealed class ImageDecoderTests : IDisposable
{
    readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("digits-decoder-");

    public void Dispose() => folder.Delete(recursive: true);

    const int W = 37, H = 23;

    static byte Ramp(int x, int y) => (byte)(x * 4 + y * 4);

    static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> colour)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, colour(x, y));
        }
        return bitmap;
    }

    static SKBitmap RampBitmap() => Bitmap(W, H, (x, y) => new SKColor(Ramp(x, y), Ramp(x, y), Ramp(x, y)));

    static byte[] Encode(SKBitmap bitmap, string format) => format switch
    {
        "png" => SyntheticDigits.Encode(bitmap, SKEncodedImageFormat.Png),
        "jpeg" => SyntheticDigits.Encode(bitmap, SKEncodedImageFormat.Jpeg, 95),
        "webp" => bitmap.PeekPixels().Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))!.ToArray(),
        "bmp" => HandMadeFiles.Bmp(bitmap.Width, bitmap.Height, (x, y) => bitmap.GetPixel(x, y).Red),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    [Theory]
    [InlineData("png", 0)]
    [InlineData("webp", 0)]
    [InlineData("bmp", 0)]
    [InlineData("jpeg", 3)]
    public void Decode_round_trips_gray_levels(string format, double tolerance)
    {
        using var bitmap = RampBitmap();

        var image = ImageDecoder.Decode(Encode(bitmap, format), $"ramp.{format}");

        Assert.Equal((W, H), (image.Width, image.Height));
        var expected = new byte[W * H];
        for (int i = 0; i < expected.Length; i++)
            expected[i] = Ramp(i % W, i / W);
        Assert.InRange(SyntheticDigits.MeanAbsDifference(expected, image.Pixels), 0, tolerance);
    }

    [Fact]
    public void Decode_reads_the_first_frame_of_an_animated_gif()
    {
        byte[][] palette = [[255, 255, 255], [0, 0, 0], [255, 0, 0], [0, 0, 255]];
        var first = new byte[8 * 4];
        for (int i = 0; i < first.Length; i++)
            first[i] = (byte)(i % 8 < 4 ? 1 : 0);
        var second = Enumerable.Repeat((byte)2, 8 * 4).ToArray();

        var image = ImageDecoder.Decode(HandMadeFiles.Gif(8, 4, palette, first, second), "anim.gif");

        Assert.Equal((8, 4), (image.Width, image.Height));
        for (int i = 0; i < first.Length; i++)
            Assert.Equal(i % 8 < 4 ? 0 : 255, image.Pixels[i]);
    }

    [Fact]
    public void Decode_converts_colour_to_luminance()
    {
        using var bitmap = Bitmap(3, 1, (x, _) => x switch { 0 => SKColors.Red, 1 => SKColors.Lime, _ => SKColors.Blue });

        var image = ImageDecoder.Decode(Encode(bitmap, "png"), "rgb.png");

        Assert.Equal([76, 150, 29], image.Pixels);
    }

    [Fact]
    public void Decode_composites_transparent_pixels_over_white()
    {
        using var bitmap = Bitmap(20, 20, (x, y) =>
            x >= 7 && x < 13 && y >= 7 && y < 13 ? SKColors.Black
            : x == 0 && y == 0 ? new SKColor(0, 0, 0, 128)
            : SKColors.Transparent);

        var image = ImageDecoder.Decode(Encode(bitmap, "png"), "canvas.png");

        Assert.Equal(0, image[10, 10]);
        Assert.Equal(255, image[19, 19]);
        Assert.InRange(image[0, 0], 126, 128);
    }

    [Theory]
    [InlineData(1, W, H, 2, 2)]
    [InlineData(3, W, H, W - 3, H - 3)]
    [InlineData(6, H, W, H - 3, 2)]
    [InlineData(8, H, W, 2, W - 3)]
    public void Decode_applies_the_exif_orientation(int orientation, int width, int height, int markX, int markY)
    {
        using var bitmap = Bitmap(W, H, (x, y) => x < 6 && y < 6 ? SKColors.Black : SKColors.White);
        var jpeg = HandMadeFiles.WithExifOrientation(Encode(bitmap, "jpeg"), orientation);

        var image = ImageDecoder.Decode(jpeg, "phone.jpg");

        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.True(image[markX, markY] < 40, $"mark missing at ({markX}, {markY})");
        Assert.True(image[width - 1 - markX, height - 1 - markY] > 215, "mark also at the opposite corner");
    }

    [Fact]
    public void Decode_refuses_an_image_over_40_megapixels_before_decoding_it()
    {
        var png = ImageEncoder.EncodePng(new GrayImage(8000, 5001, new byte[8000 * 5001]));

        var e = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png, "huge.png"));

        Assert.Equal((8000, 5001), (e.Width, e.Height));
        Assert.Equal("huge.png: image is 8000×5001 = 40,008,000 pixels, more than the 40,000,000 allowed", e.Message);
        Assert.IsAssignableFrom<DigitsException>(e);
    }

    [Fact]
    public void Decode_names_the_file_when_it_is_empty()
    {
        var path = Path.Combine(folder.FullName, "empty.png");
        File.WriteAllBytes(path, []);

        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(path));

        Assert.Equal($"{path}: empty file", e.Message);
    }

    [Fact]
    public void Decode_names_the_file_when_it_is_not_an_image()
    {
        var path = Path.Combine(folder.FullName, "photo.jpg");
        var noise = new byte[1000];
        new Random(1).NextBytes(noise);
        File.WriteAllBytes(path, noise);

        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(path));

        Assert.Equal($"{path}: not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)", e.Message);
    }

    [Fact]
    public void Decode_names_the_file_when_it_is_missing()
    {
        var path = Path.Combine(folder.FullName, "missing.png");

        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(path));

        Assert.Equal($"{path}: file not found", e.Message);
    }

    [Fact]
    public void Decode_reports_a_truncated_file()
    {
        using var bitmap = RampBitmap();
        var png = Encode(bitmap, "png");

        var e = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(png.AsSpan(0, png.Length / 2), "cut.png"));

        Assert.StartsWith("cut.png: ", e.Message);
    }
}
