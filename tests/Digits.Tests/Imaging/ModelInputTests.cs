using Digits.Imaging;

namespace Digits.Tests.Imaging;

public class ModelInputTests
{
    [Fact]
    public void Prepare_scales_to_unit_floats_and_deskews_only_when_asked()
    {
        var images = TestData.Mnist.Test.Pixels.AsSpan(0, 3 * DigitImage.Pixels);
        var deskewed = new byte[3 * DigitImage.Pixels];
        var plain = new float[3 * DigitImage.Pixels];
        var straightened = new float[3 * DigitImage.Pixels];

        ModelInput.Prepare(images, 3, deskew: false, [], plain);
        ModelInput.Prepare(images, 3, deskew: true, deskewed, straightened);

        for (int i = 0; i < plain.Length; i++)
            Assert.Equal(images[i] / 255f, plain[i], 1e-7f);
        var expected = new byte[DigitImage.Pixels];
        Deskew.Apply(images.Slice(2 * DigitImage.Pixels, DigitImage.Pixels), expected);
        for (int i = 0; i < DigitImage.Pixels; i++)
            Assert.Equal(expected[i] / 255f, straightened[2 * DigitImage.Pixels + i], 1e-7f);
        Assert.NotEqual(plain, straightened);
    }
}
