using SkiaSharp;
using Xunit.Abstractions;

namespace Digits.Tests;

/// <summary>
/// Users of other digit demos complain that a digit drawn small, in a corner or off-centre is misread. The bundled
/// model reads the same MNIST test digits drawn in those places within half a point of the same digits drawn large
/// and centred, because the input pipeline (<c>DigitInput</c>) finds the ink, crops and re-centres it.
/// </summary>
public class DigitPlacementTests(ITestOutputHelper output)
{
    private const int Count = 400;

    /// <summary>The first <see cref="Count"/> MNIST test digits, as dark ink on white paper, enlarged to
    /// <paramref name="size"/> pixels and drawn at (<paramref name="x"/>, <paramref name="y"/>) on a
    /// <paramref name="width"/> × <paramref name="height"/> page; the share the bundled model reads right (its most
    /// probable digit, whatever the status).</summary>
    private static double Accuracy(int width, int height, int size, int x, int y)
    {
        var model = DigitModel.LoadDefault();
        var test = TestData.Mnist.Test;
        int right = 0;
        for (int i = 0; i < Count; i++)
        {
            byte[] png = Page(test.Image(i), width, height, size, x, y);
            var prediction = model.PredictImage(png);
            if (prediction.BestGuess == test.Labels[i])
                right++;
        }
        return (double)right / Count;
    }

    private static byte[] Page(ReadOnlySpan<byte> digit, int width, int height, int size, int x, int y)
    {
        using var small = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = small.GetPixelSpan();
        for (int i = 0; i < 784; i++)
            pixels[i] = (byte)(255 - digit[i]);
        using var page = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(page))
        {
            canvas.Clear(SKColors.White);
            using var image = SKImage.FromBitmap(small);
            canvas.DrawImage(image, new SKRect(x, y, x + size, y + size), new SKSamplingOptions(SKFilterMode.Linear));
        }
        using var encoded = page.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    [Fact]
    public void Digits_drawn_small_in_a_corner_or_off_centre_read_within_half_a_point_of_centred_ones()
    {
        double centred = Accuracy(160, 160, 128, 16, 16);
        double smallCorner = Accuracy(400, 400, 36, 6, 6);
        double offCentre = Accuracy(480, 280, 84, 370, 20);
        output.WriteLine($"{Count} MNIST test digits: centred {centred:P2}, small in a corner {smallCorner:P2}, off-centre {offCentre:P2}");
        Assert.True(centred >= 0.98, $"centred: {centred:P2}");
        Assert.True(smallCorner >= centred - 0.005, $"small in a corner: {smallCorner:P2} against centred {centred:P2}");
        Assert.True(offCentre >= centred - 0.005, $"off-centre: {offCentre:P2} against centred {centred:P2}");
    }
}
