using Digits.Imaging;

namespace Digits.Tests.Imaging;

public class AugmenterTests
{
    private static byte[] Digit(int index) => TestData.Mnist.Train.Image(index).ToArray();

    [Fact]
    public void Identity_settings_reproduce_the_input_exactly()
    {
        byte[] image = Digit(0);
        var expected = new float[784];
        Digits.Imaging.ModelInput.ToUnitFloats(image, expected);
        var output = new float[784];
        new Augmenter(AugmentationSettings.None).Apply(image, output, Augmenter.SampleKey(7, 3, 0));
        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(34f)]
    public void Output_stays_in_the_unit_range_and_keeps_the_digit_in_view(float elasticAlpha)
    {
        var augmenter = new Augmenter(new AugmentationSettings(RotationDegrees: 15f, Scale: 0.15f, Shear: 0.3f, TranslationPixels: 3f, ElasticAlpha: elasticAlpha));
        var output = new float[784];
        for (int i = 0; i < 50; i++)
        {
            byte[] image = Digit(i);
            augmenter.Apply(image, output, Augmenter.SampleKey(1, 0, i));
            Assert.All(output, v => Assert.InRange(v, 0f, 1f));
            double inkIn = image.Sum(b => b / 255.0), inkOut = output.Sum();
            Assert.InRange(inkOut / inkIn, 0.3, 3.0);
        }
    }

    [Fact]
    public void The_same_key_gives_the_same_image_and_another_key_another()
    {
        var settings = new AugmentationSettings(ElasticAlpha: 34f);
        byte[] image = Digit(1);
        float[] a = new float[784], b = new float[784], c = new float[784];
        new Augmenter(settings).Apply(image, a, Augmenter.SampleKey(5, 2, 1));
        var reused = new Augmenter(settings);
        reused.Apply(image, c, Augmenter.SampleKey(5, 3, 1));
        reused.Apply(image, b, Augmenter.SampleKey(5, 2, 1));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_translation_moves_the_centre_of_mass_by_at_most_the_largest_shift()
    {
        byte[] image = Digit(2);
        var augmenter = new Augmenter(new AugmentationSettings(0f, 0f, 0f, TranslationPixels: 2f));
        var output = new float[784];
        var input = new float[784];
        Digits.Imaging.ModelInput.ToUnitFloats(image, input);
        (double x0, double y0) = CentreOfMass(input);
        for (int i = 0; i < 20; i++)
        {
            augmenter.Apply(image, output, Augmenter.SampleKey(3, 0, i));
            (double x, double y) = CentreOfMass(output);
            Assert.InRange(Math.Abs(x - x0), 0, 2.05);
            Assert.InRange(Math.Abs(y - y0), 0, 2.05);
        }
    }

    private static (double X, double Y) CentreOfMass(float[] image)
    {
        double mass = 0, x = 0, y = 0;
        for (int i = 0; i < image.Length; i++)
        {
            mass += image[i];
            x += image[i] * (i % 28);
            y += image[i] * (i / 28);
        }
        return (x / mass, y / mass);
    }

    [Fact]
    public void A_stroke_change_thickens_or_thins_the_ink_within_its_range_and_leaves_the_rest_of_the_distortion_alone()
    {
        var affine = new AugmentationSettings(RotationDegrees: 10f, Scale: 0.1f, Shear: 0.15f, TranslationPixels: 2f);
        var plain = new Augmenter(affine);
        var stroked = new Augmenter(affine with { StrokePixels = 2f });
        var withoutStroke = new float[784];
        var withStroke = new float[784];
        int thicker = 0, thinner = 0;
        for (int i = 0; i < 40; i++)
        {
            byte[] image = Digit(i);
            ulong key = Augmenter.SampleKey(5, 1, i);
            plain.Apply(image, withoutStroke, key);
            stroked.Apply(image, withStroke, key);
            Assert.All(withStroke, v => Assert.InRange(v, 0f, 1f));
            double before = withoutStroke.Sum(), after = withStroke.Sum();
            // Widening by at most 2 pixels at most triples a stroke about 1.5 pixels wide; narrowing by half a pixel keeps most of it.
            Assert.InRange(after / before, 0.4, 3.0);
            if (after > before * 1.02)
                thicker++;
            else if (after < before * 0.98)
                thinner++;
            // The same key draws the same affine distortion: where neither image has ink nearby, both are black.
            for (int p = 0; p < 784; p++)
            {
                if (withoutStroke[p] == 0f && withStroke[p] > 0f)
                    Assert.True(Neighbourhood(withoutStroke, p) > 0f, $"image {i}: ink at {p} far from any stroke");
            }
        }
        Assert.True(thicker > 20, $"{thicker} of 40 got thicker");
        Assert.True(thinner > 0, $"{thinner} of 40 got thinner");
    }

    [Fact]
    public void A_hollow_draw_turns_a_solid_bar_into_its_outline_around_a_hole_as_wide_as_the_bar()
    {
        // A solid bar 4 pixels wide (columns 12..15), rows 4..23; no affine change, every image hollow.
        var bar = new byte[784];
        for (int y = 4; y < 24; y++)
        {
            for (int x = 12; x < 16; x++)
                bar[y * 28 + x] = 255;
        }
        var hollow = new Augmenter(AugmentationSettings.None with { HollowShare = 1f });
        var output = new float[784];
        hollow.Apply(bar, output, Augmenter.SampleKey(1, 0, 0));
        Assert.All(output, v => Assert.InRange(v, 0f, 1f));
        int row = 14 * 28;
        // One-pixel contours just outside the bar, the bar itself now a hole, nothing further out.
        Assert.Equal(new float[] { 0f, 1f, 0f, 0f, 0f, 0f, 1f, 0f }, output[(row + 10)..(row + 18)]);
        // The ends are closed too.
        Assert.Equal(1f, output[3 * 28 + 13]);
        Assert.Equal(0f, output[5 * 28 + 13]);
    }

    [Fact]
    public void A_hollow_share_outlines_about_that_share_of_images_and_leaves_the_others_as_they_were()
    {
        var affine = new AugmentationSettings(RotationDegrees: 10f, Scale: 0.1f, Shear: 0.15f, TranslationPixels: 2f);
        var plain = new Augmenter(affine);
        var some = new Augmenter(affine with { HollowShare = 0.25f });
        var a = new float[784];
        var b = new float[784];
        int changed = 0;
        for (int i = 0; i < 200; i++)
        {
            byte[] image = Digit(i % 40);
            ulong key = Augmenter.SampleKey(9, 2, i);
            plain.Apply(image, a, key);
            some.Apply(image, b, key);
            if (!a.AsSpan().SequenceEqual(b))
                changed++;
        }
        Assert.InRange(changed, 30, 70);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Augmenter(affine with { HollowShare = 1.5f }));
    }

    /// <summary>The most ink within two pixels of pixel <paramref name="p"/> (a widening of up to 2 pixels moves each edge by 1).</summary>
    private static float Neighbourhood(float[] image, int p)
    {
        int x = p % 28, y = p / 28;
        float most = 0f;
        for (int v = Math.Max(0, y - 2); v <= Math.Min(27, y + 2); v++)
        {
            for (int u = Math.Max(0, x - 2); u <= Math.Min(27, x + 2); u++)
                most = Math.Max(most, image[v * 28 + u]);
        }
        return most;
    }
}
