using Digits.Imaging;
using SkiaSharp;

namespace Digits.Tests.Imaging;

/// <summary>The input pipeline's fast path: no allocation in steady state, JPEG decoded at reduced size, exact gray.</summary>
public class InputPipelineTests
{
    [Fact]
    public void Reading_a_picture_allocates_nothing_once_the_threads_buffers_have_grown()
    {
        using var photo = SyntheticDigits.Photo(7, 448, 336, seed: 3);
        byte[] jpeg = SyntheticDigits.Encode(photo, SKEncodedImageFormat.Jpeg, 85);
        byte[] png = SyntheticDigits.Encode(photo, SKEncodedImageFormat.Png);
        var output = new byte[DigitImage.Pixels];
        // Run on a thread of its own, so that its scratch buffers start empty and grow here.
        long jpegBytes = -1, pngBytes = -1;
        DigitInputStatus status = default;
        var thread = new Thread(() =>
        {
            for (int warm = 0; warm < 3; warm++)
            {
                DigitInput.Read(jpeg, output, out _);
                DigitInput.Read(png, output, out _);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            status = DigitInput.Read(jpeg, output, out _);
            jpegBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            DigitInput.Read(png, output, out _);
            pngBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        thread.Start();
        thread.Join();

        Assert.Equal(DigitInputStatus.Ok, status);
        Assert.Equal(0, jpegBytes);
        Assert.Equal(0, pngBytes);
    }

    [Fact]
    public void A_large_jpeg_is_decoded_at_the_smallest_scale_that_keeps_the_working_size_and_reads_the_same()
    {
        using var photo = SyntheticDigits.Photo(4, 2400, 1800, seed: 5);
        byte[] jpeg = SyntheticDigits.Encode(photo, SKEncodedImageFormat.Jpeg, 90);

        var (width, height) = ImageDecoder.DecodeInto(jpeg, "photo.jpg", InkExtraction.WorkingSide, PipelineScratch.ForThisThread);

        // 2400 / 8 = 300 keeps at least 224 px on the longer side; 2400 / 16 would not exist and would not.
        Assert.Equal((300, 225), (width, height));
        var reduced = DigitInput.FromBytes(jpeg);
        byte[] full = MnistNormalizer.Normalize(ImageDecoder.Decode(jpeg, "photo.jpg"));
        Assert.Equal(DigitInputStatus.Ok, reduced.Status);
        Assert.True(SyntheticDigits.Correlation(full, reduced.Pixels!) > 0.97, "the reduced decode reads another digit shape");
    }

    [Fact]
    public void Png_is_always_decoded_at_full_size()
    {
        using var photo = SyntheticDigits.Photo(2, 900, 600, seed: 1);
        byte[] png = SyntheticDigits.Encode(photo, SKEncodedImageFormat.Png);

        Assert.Equal((900, 600), ImageDecoder.DecodeInto(png, "photo.png", InkExtraction.WorkingSide, PipelineScratch.ForThisThread));
    }

    [Fact]
    public void Gray_from_rgba_is_the_exact_rounded_luminance_over_white_for_every_alpha()
    {
        // Every alpha, with colours that hit the rounding edges: the vector path must give the scalar formula's byte.
        var rng = new Random(11);
        int n = 256 * 9 + 5;
        var rgba = new byte[n * 4];
        rng.NextBytes(rgba);
        for (int i = 0; i < 256; i++)
            rgba[i * 4 + 3] = (byte)i;
        using var bitmap = new SKBitmap(new SKImageInfo(n, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        byte[] png = SyntheticDigits.Encode(bitmap, SKEncodedImageFormat.Png);

        var gray = ImageDecoder.Decode(png, "strip.png");

        for (int i = 0; i < n; i++)
        {
            int r = rgba[i * 4], g = rgba[i * 4 + 1], b = rgba[i * 4 + 2], a = rgba[i * 4 + 3];
            int expected = ((299 * r + 587 * g + 114 * b) * a + 255_000 * (255 - a) + 127_500) / 255_000;
            Assert.True(expected == gray.Pixels[i], $"pixel {i} (r {r}, g {g}, b {b}, a {a}): {gray.Pixels[i]}, expected {expected}");
        }
    }
}
