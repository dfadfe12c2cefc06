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
}
