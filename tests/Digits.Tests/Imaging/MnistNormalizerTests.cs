using Digits.Imaging;

namespace Digits.Tests.Imaging;

public class MnistNormalizerTests
{
    static byte[] NormalizePhoto(int digit, int seed, SyntheticDigits.PhotoStyle? style = null)
    {
        using var photo = SyntheticDigits.Photo(digit, 600, 800, seed, style);
        return MnistNormalizer.Normalize(SyntheticDigits.ToGray(photo));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Normalize_maps_a_photo_of_dark_ink_on_uneven_paper_close_to_the_mnist_rendering(int digit)
    {
        var expected = SyntheticDigits.MnistStyle(digit);
        var style = new SyntheticDigits.PhotoStyle(InkHeight: 0.3f, CentreX: 0.4f, CentreY: 0.6f, Noise: 10f, Specks: 8);

        var actual = NormalizePhoto(digit, seed: digit, style);

        Assert.True(SyntheticDigits.Correlation(expected, actual) > 0.9, $"correlation {SyntheticDigits.Correlation(expected, actual):F3}");
        Assert.True(SyntheticDigits.MeanAbsDifference(expected, actual) < 15, $"mean abs difference {SyntheticDigits.MeanAbsDifference(expected, actual):F1}");
    }

    [Theory]
    [InlineData(1, 0.2f, 0.2f)]
    [InlineData(5, 0.8f, 0.7f)]
    [InlineData(7, 0.5f, 0.5f)]
    public void Normalize_centres_mass_within_half_a_pixel(int digit, float centreX, float centreY)
    {
        var actual = NormalizePhoto(digit, seed: 11, new SyntheticDigits.PhotoStyle(InkHeight: 0.25f, CentreX: centreX, CentreY: centreY));

        var (x, y) = SyntheticDigits.CentreOfMass(actual);
        Assert.InRange(x, MnistNormalizer.Centre - 0.5, MnistNormalizer.Centre + 0.5);
        Assert.InRange(y, MnistNormalizer.Centre - 0.5, MnistNormalizer.Centre + 0.5);
    }

    [Fact]
    public void Normalize_passes_mnist_style_images_through_nearly_unchanged()
    {
        double total = 0;
        for (int digit = 0; digit < 10; digit++)
        {
            var mnist = SyntheticDigits.MnistStyle(digit, shear: 0.1f * (digit % 3));
            var actual = MnistNormalizer.Normalize(new GrayImage(28, 28, mnist));
            Assert.True(SyntheticDigits.Correlation(mnist, actual) > 0.97, $"digit {digit}: correlation {SyntheticDigits.Correlation(mnist, actual):F3}");
            total += SyntheticDigits.MeanAbsDifference(mnist, actual);
        }
        Assert.True(total / 10 < 5, $"mean abs difference {total / 10:F2} of 255");
    }

    [Fact]
    public void Normalize_gives_white_ink_on_black_with_the_longer_side_in_a_20_pixel_box()
    {
        var actual = NormalizePhoto(4, seed: 3);

        Assert.Equal(MnistNormalizer.Size * MnistNormalizer.Size, actual.Length);
        Assert.Equal(255, actual.Max());
        int x0 = 28, x1 = -1, y0 = 28, y1 = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] < 64)
                continue;
            (x0, x1, y0, y1) = (Math.Min(x0, i % 28), Math.Max(x1, i % 28), Math.Min(y0, i / 28), Math.Max(y1, i / 28));
        }
        Assert.InRange(Math.Max(x1 - x0 + 1, y1 - y0 + 1), 19, 21);
        Assert.True(actual[0] == 0 && actual[27] == 0 && actual[^1] == 0 && actual[^28] == 0, "corners are background");
    }

    [Fact]
    public void Normalize_reads_a_canvas_drawing_of_light_ink_on_black_without_inverting_it()
    {
        var mnist = SyntheticDigits.MnistStyle(6);
        var big = new byte[280 * 280];
        for (int i = 0; i < big.Length; i++)
            big[i] = mnist[i / 280 / 10 * 28 + i % 280 / 10];

        var actual = MnistNormalizer.Normalize(new GrayImage(280, 280, big));

        Assert.True(SyntheticDigits.Correlation(mnist, actual) > 0.9);
    }

    [Fact]
    public void Normalize_uses_the_given_polarity_instead_of_guessing()
    {
        var mnist = SyntheticDigits.MnistStyle(8);

        var asDarkInk = MnistNormalizer.Normalize(new GrayImage(28, 28, mnist), new NormalizeOptions(InkIsDark: true));

        Assert.True(SyntheticDigits.Correlation(mnist, asDarkInk) < 0.5, "the black ground was taken as ink");
    }

    [Fact]
    public void Normalize_deskews_when_asked()
    {
        var slanted = SyntheticDigits.MnistStyle(1, shear: 0.4f);
        var image = new GrayImage(28, 28, slanted);

        var plain = MnistNormalizer.Normalize(image);
        var straight = MnistNormalizer.Normalize(image, new NormalizeOptions(Deskew: true));

        Assert.True(Math.Abs(Deskew.SkewMoment(straight)) < 0.2 * Math.Abs(Deskew.SkewMoment(plain)));
    }

    [Theory]
    [InlineData(255, 0f)]
    [InlineData(230, 6f)]
    [InlineData(0, 0f)]
    public void Normalize_throws_NoDigitException_for_a_blank_page(byte paper, float noise)
    {
        var rng = new Random(5);
        var pixels = new byte[400 * 300];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Clamp(paper + (rng.NextDouble() - 0.5) * 2 * noise, 0, 255);

        var e = Assert.Throws<NoDigitException>(() => MnistNormalizer.Normalize(new GrayImage(400, 300, pixels), name: "blank.jpg"));

        Assert.Equal("blank.jpg: no digit found: nothing stands out from the paper (blank or too faint)", e.Message);
    }

    [Fact]
    public void Normalize_finds_the_digit_in_a_12_megapixel_photo()
    {
        // Its speed is measured in bench/ (Digits.Bench pipeline), not here.
        using var photo = SyntheticDigits.Photo(9, 3000, 4000, seed: 9, new SyntheticDigits.PhotoStyle(Noise: 0f, Specks: 20));
        var gray = SyntheticDigits.ToGray(photo);

        var actual = MnistNormalizer.Normalize(gray);

        Assert.True(SyntheticDigits.Correlation(SyntheticDigits.MnistStyle(9), actual) > 0.9);
    }
}
