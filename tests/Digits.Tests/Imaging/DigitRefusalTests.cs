using Digits.Imaging;
using SkiaSharp;
using Xunit.Abstractions;

namespace Digits.Tests.Imaging;

/// <summary>When <see cref="MnistNormalizer"/> answers "no digit" or "more than one digit", and that it never does for MNIST.</summary>
public class DigitRefusalTests(ITestOutputHelper output)
{
    /// <summary>A page of gray <paramref name="paper"/> with Gaussian grain <paramref name="noise"/> and one
    /// round dark speck of radius <paramref name="radius"/> a third of the way down.</summary>
    static GrayImage PageWithSpeck(int width, int height, byte paper, float noise, int radius, byte speck)
    {
        var rng = new Random(1);
        var pixels = new byte[width * height];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Clamp(paper + noise * Gaussian(rng), 0, 255);
        for (int y = -radius; y <= radius; y++)
        {
            for (int x = -radius; x <= radius; x++)
            {
                if (x * x + y * y <= radius * radius)
                    pixels[(height / 3 + y) * width + width / 2 + x] = speck;
            }
        }
        return new GrayImage(width, height, pixels);
    }

    static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>MNIST test images <paramref name="first"/> and <paramref name="second"/> pasted side by side
    /// (56 × 28, each in its own frame), white on black as MNIST stores them.</summary>
    static GrayImage MnistPair(int first, int second)
    {
        var test = TestData.Mnist.Test;
        var pixels = new byte[56 * 28];
        for (int y = 0; y < 28; y++)
        {
            test.Image(first).Slice(y * 28, 28).CopyTo(pixels.AsSpan(y * 56, 28));
            test.Image(second).Slice(y * 28, 28).CopyTo(pixels.AsSpan(y * 56 + 28, 28));
        }
        return new GrayImage(56, 28, pixels);
    }

    /// <summary>A 28 × 28 MNIST image as a user would present it: dark ink on white, <paramref name="k"/> times larger.</summary>
    static GrayImage InvertedAndEnlarged(ReadOnlySpan<byte> mnist, int k)
    {
        int side = 28 * k;
        var pixels = new byte[side * side];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(255 - mnist[i / side / k * 28 + i % side / k]);
        return new GrayImage(side, side, pixels);
    }

    [Theory]
    [InlineData(400, 300, 255, 0f, 3)]
    [InlineData(400, 300, 235, 4f, 6)]
    [InlineData(1000, 800, 235, 3f, 15)]
    [InlineData(4000, 3000, 240, 0f, 20)]
    public void A_lone_speck_on_a_blank_page_is_no_digit(int width, int height, byte paper, float noise, int radius)
    {
        var result = MnistNormalizer.TryNormalize(PageWithSpeck(width, height, paper, noise, radius, speck: 40));

        Assert.Equal(NormalizeStatus.NoDigit, result.Status);
        Assert.Null(result.Pixels);
        Assert.StartsWith("only a speck of ink", result.Detail);
    }

    [Fact]
    public void A_few_white_pixels_on_a_black_28x28_field_are_no_digit()
    {
        var pixels = new byte[28 * 28];
        pixels[10 * 28 + 12] = pixels[10 * 28 + 13] = pixels[11 * 28 + 12] = 255;

        var result = MnistNormalizer.TryNormalize(new GrayImage(28, 28, pixels));

        Assert.Equal(NormalizeStatus.NoDigit, result.Status);
        Assert.Equal("only a speck of ink, 2×2 px", result.Detail);
    }

    [Theory]
    [InlineData(400, 300, -1.0)]
    [InlineData(28, 28, -1.0)]
    [InlineData(1200, 900, -1.0)]
    [InlineData(640, 480, 40.0)]
    [InlineData(400, 300, 60.0)]
    public void Noise_is_no_digit(int width, int height, double gaussianSigma)
    {
        var rng = new Random(7);
        var pixels = new byte[width * height];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = gaussianSigma < 0 ? (byte)rng.Next(256) : (byte)Math.Clamp(128 + gaussianSigma * Gaussian(rng), 0, 255);

        var result = MnistNormalizer.TryNormalize(new GrayImage(width, height, pixels));

        Assert.Equal(NormalizeStatus.NoDigit, result.Status);
        // Large pictures are box-averaged to the working size first (3×3 blocks at 640×480, 6×6 at 1200×900), which
        // averages most of the noise away before the noise rule could see it: then nothing stands out at all.
        if (Math.Max(width, height) > 2 * InkExtraction.WorkingSide)
            Assert.StartsWith("nothing stands out", result.Detail);
        else
            Assert.StartsWith("looks like noise", result.Detail);
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(1, 7)]
    [InlineData(8, 0)]
    [InlineData(1, 1)]
    [InlineData(5, 9)]
    public void Two_digits_side_by_side_are_multiple_digits(int left, int right)
    {
        var result = MnistNormalizer.TryNormalize(SyntheticDigits.InARow([left, right]));

        Assert.Equal(NormalizeStatus.MultipleDigits, result.Status);
        Assert.Equal(DigitImage.Pixels, result.Pixels?.Length);
        Assert.Equal("2 separate marks of similar size side by side", result.Detail);
    }

    [Fact]
    public void Three_digits_in_a_row_are_counted()
    {
        var result = MnistNormalizer.TryNormalize(SyntheticDigits.InARow([2, 0, 7]));

        Assert.Equal(NormalizeStatus.MultipleDigits, result.Status);
        Assert.Equal("3 separate marks of similar size side by side", result.Detail);
    }

    [Fact]
    public void Two_mnist_digits_pasted_side_by_side_are_multiple_digits()
    {
        Assert.Equal(NormalizeStatus.MultipleDigits, MnistNormalizer.TryNormalize(MnistPair(0, 1)).Status);

        // 5,000 such pairs measured: 99.0 % have a gap of at least InkMarks.SeparatingGap; the rest nearly touch.
        int caught = 0;
        for (int i = 0; i < 500; i++)
            caught += MnistNormalizer.TryNormalize(MnistPair(i, 9999 - i)).Status == NormalizeStatus.MultipleDigits ? 1 : 0;
        output.WriteLine($"{caught} of 500 pasted pairs answered MultipleDigits");
        Assert.True(caught >= 475, $"only {caught} of 500 pasted pairs answered MultipleDigits");
    }

    [Fact]
    public void Photos_of_single_synthetic_digits_are_ok()
    {
        for (int digit = 0; digit < 10; digit++)
        {
            using var photo = SyntheticDigits.Photo(digit, 600, 800, digit, new SyntheticDigits.PhotoStyle(Noise: 10f, Specks: 8));
            var result = MnistNormalizer.TryNormalize(SyntheticDigits.ToGray(photo));
            Assert.True(result.Status == NormalizeStatus.Ok, $"digit {digit}: {result.Status}, {result.Detail}");
            Assert.Null(result.Detail);
            Assert.Equal(MnistNormalizer.Normalize(SyntheticDigits.ToGray(photo)), result.Pixels);
        }
    }

    /// <summary>
    /// All 10,000 MNIST test images as stored (white on black, 28 × 28), and every fourth as a user would
    /// present it (dark on white, 3× larger; all 10,000 take about 4× as long and pass too), are accepted;
    /// the stored images' margins to each rule's threshold are printed and checked.
    /// </summary>
    [Fact]
    public void No_mnist_test_image_is_refused()
    {
        var test = TestData.Mnist.Test;
        var refused = new List<string>();
        double smallestSpan = double.MaxValue, lowestCorrelation = double.MaxValue, widestGap = double.NegativeInfinity;
        for (int i = 0; i < test.Count; i++)
        {
            var stored = new GrayImage(28, 28, test.Image(i).ToArray());
            var ink = InkExtraction.Extract(stored, null);
            Assert.NotNull(ink);
            var measures = InkMarks.Measure(ink.Value);
            smallestSpan = Math.Min(smallestSpan, measures.LargestSpan / MnistNormalizer.SpeckLimit(measures.WorkingSide));
            lowestCorrelation = Math.Min(lowestCorrelation, measures.NeighbourCorrelation);
            widestGap = Math.Max(widestGap, measures.WidestGap);

            Check(i, "stored", stored);
            if (i % 4 == 0)
                Check(i, "inverted 3x", InvertedAndEnlarged(test.Image(i), 3));
        }
        void Check(int index, string how, GrayImage image)
        {
            var result = MnistNormalizer.TryNormalize(image);
            if (result.Status != NormalizeStatus.Ok)
                refused.Add($"#{index} {how}: {result.Status}, {result.Detail}");
        }

        output.WriteLine($"stored images: largest mark >= {smallestSpan:F2}x the speck limit, neighbour correlation >= {lowestCorrelation:F3} " +
            $"(noise limit {MnistNormalizer.NoiseCorrelation}), widest gap between similar marks {widestGap:F2} of the height (limit {InkMarks.SeparatingGap})");

        Assert.True(refused.Count == 0, $"{refused.Count} refused: " + string.Join("; ", refused.Take(10)));
        Assert.True(smallestSpan >= 1.5, $"speck margin {smallestSpan:F2}");
        Assert.True(lowestCorrelation >= 1.5 * MnistNormalizer.NoiseCorrelation, $"noise margin {lowestCorrelation:F3}");
        Assert.True(widestGap <= InkMarks.SeparatingGap - 0.05, $"gap margin {widestGap:F2}");
    }

    [Fact]
    public void Normalize_throws_naming_the_picture_and_what_was_seen()
    {
        var speck = Assert.Throws<NoDigitException>(() => MnistNormalizer.Normalize(PageWithSpeck(400, 300, 255, 0f, 3, 40), name: "speck.jpg"));
        // The speck is measured in working pixels (here 2×2 blocks of the 400×300 page) and reported in the page's own.
        Assert.Equal("speck.jpg: no digit found: only a speck of ink, 6×6 px", speck.Message);

        var pair = Assert.Throws<MultipleDigitsException>(() => MnistNormalizer.Normalize(SyntheticDigits.InARow([4, 2]), name: "pair.png"));
        Assert.Equal("pair.png: more than one digit found: 2 separate marks of similar size side by side", pair.Message);
        Assert.IsAssignableFrom<DigitsException>(pair);
    }
}
