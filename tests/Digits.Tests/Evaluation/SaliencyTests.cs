using Digits.Evaluation;
using SkiaSharp;

namespace Digits.Tests.Evaluation;

public class SaliencyTests
{
    /// <summary>A two-class model that looks only at the top-left quarter: the more ink there, the likelier class 1.</summary>
    private sealed class TopLeftInk : IClassifier
    {
        public string Name => "top-left";

        public IReadOnlyList<string> Labels { get; } = ["0", "1"];

        public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
        {
            for (int n = 0; n < count; n++)
            {
                var image = images.Slice(n * DigitImage.Pixels, DigitImage.Pixels);
                double ink = 0;
                for (int y = 0; y < 14; y++)
                {
                    for (int x = 0; x < 14; x++)
                        ink += image[y * DigitImage.Side + x] / 255.0;
                }
                float one = (float)(1 / (1 + Math.Exp(-(ink / 5 - 2))));
                probabilities[2 * n] = 1 - one;
                probabilities[2 * n + 1] = one;
            }
        }
    }

    /// <summary>Two 5×5 blobs of ink: one in the top-left quarter, one in the bottom-right.</summary>
    private static byte[] TwoBlobs()
    {
        var image = new byte[DigitImage.Pixels];
        for (int y = 0; y < 5; y++)
        {
            image.AsSpan((4 + y) * DigitImage.Side + 4, 5).Fill(255);
            image.AsSpan((19 + y) * DigitImage.Side + 19, 5).Fill(255);
        }
        return image;
    }

    private static int At(int x, int y) => y * DigitImage.Side + x;

    [Fact]
    public void Ink_the_model_relies_on_is_salient_and_ink_it_ignores_is_not()
    {
        var map = Saliency.Occlusion(new TopLeftInk(), TwoBlobs(), label: 1);

        Assert.Equal(DigitImage.Pixels, map.Length);
        Assert.True(map[At(6, 6)] > 0.1, $"centre of the top-left blob: {map[At(6, 6)]}");
        Assert.Equal(0f, map[At(21, 21)]);
        Assert.Equal(0f, map[At(27, 0)]);
        Assert.Equal(Array.IndexOf(map, map.Max()), At(6, 6));
    }

    [Fact]
    public void For_the_other_class_the_same_ink_counts_against_it()
    {
        var map = Saliency.Occlusion(new TopLeftInk(), TwoBlobs(), label: 0);

        Assert.True(map[At(6, 6)] < -0.1, $"hiding the top-left blob makes class 0 likelier: {map[At(6, 6)]}");
        Assert.Equal(0f, map[At(21, 21)]);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var model = new TopLeftInk();
        Assert.Throws<ArgumentException>(() => Saliency.Occlusion(model, new byte[10], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Saliency.Occlusion(model, TwoBlobs(), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Saliency.Occlusion(model, TwoBlobs(), 1, patch: 0));
    }

    [Fact]
    public void The_picture_shows_the_input_and_the_map_side_by_side_in_colour()
    {
        var image = TwoBlobs();
        var map = Saliency.Occlusion(new TopLeftInk(), image, label: 1);

        byte[] png = SaliencyPicture.RenderPng(image, map, 1, "two blobs: 1");

        using var bitmap = SKBitmap.Decode(png);
        Assert.True(bitmap.Width >= 2 * 28 * SaliencyPicture.Scale, $"width {bitmap.Width}");
        Assert.True(bitmap.Height > 28 * SaliencyPicture.Scale, $"height {bitmap.Height}");
        var pixels = Enumerable.Range(0, bitmap.Width * bitmap.Height).Select(i => bitmap.GetPixel(i % bitmap.Width, i / bitmap.Width)).ToArray();
        Assert.Contains(pixels, c => c.Red > 150 && c.Green < 90 && c.Blue < 90);
        Assert.Contains(pixels, c => c.Red == 255 && c.Green == 255 && c.Blue == 255);
    }
}
