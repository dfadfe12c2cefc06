using Digits.Imaging;

namespace Digits.Tests.Imaging;

public class DeskewTests
{
    [Theory]
    [InlineData(1, 0.4f)]
    [InlineData(7, -0.3f)]
    [InlineData(4, 0.3f)]
    public void Deskew_reduces_the_skew_moment_of_a_sheared_digit_fivefold(int digit, float shear)
    {
        var slanted = SyntheticDigits.MnistStyle(digit, shear);
        var straight = new byte[784];

        Deskew.Apply(slanted, straight);

        double before = Deskew.SkewMoment(slanted), after = Deskew.SkewMoment(straight);
        Assert.True(Math.Abs(before) > 0.1, $"test digit is slanted: {before:F3}");
        Assert.True(Math.Abs(after) < 0.2 * Math.Abs(before), $"skew {before:F3} -> {after:F3}");
    }

    [Fact]
    public void Deskew_leaves_an_upright_digit_nearly_alone()
    {
        var upright = SyntheticDigits.MnistStyle(0);
        var result = new byte[784];

        Deskew.Apply(upright, result);

        Assert.True(Math.Abs(Deskew.SkewMoment(upright)) < 0.02);
        Assert.True(SyntheticDigits.MeanAbsDifference(upright, result) < 2);
    }

    [Fact]
    public void Deskew_keeps_the_centre_of_mass()
    {
        var slanted = SyntheticDigits.MnistStyle(1, 0.4f);
        var straight = new byte[784];

        Deskew.Apply(slanted, straight);

        var (bx, by) = SyntheticDigits.CentreOfMass(slanted);
        var (ax, ay) = SyntheticDigits.CentreOfMass(straight);
        Assert.InRange(ax - bx, -0.3, 0.3);
        Assert.InRange(ay - by, -0.3, 0.3);
    }

    [Fact]
    public void SkewMoment_is_zero_for_an_empty_image_and_positive_for_a_backslash()
    {
        var backslash = new byte[784];
        for (int y = 4; y < 24; y++)
            backslash[y * 28 + y] = 255;

        Assert.Equal(0, Deskew.SkewMoment(new byte[784]));
        Assert.Equal(1.0, Deskew.SkewMoment(backslash), 6);
    }

    [Fact]
    public void ApplyAll_matches_Apply_on_each_image()
    {
        var batch = new byte[3 * 784];
        for (int i = 0; i < 3; i++)
            SyntheticDigits.MnistStyle(i + 1, 0.2f * i).CopyTo(batch, i * 784);
        var together = new byte[batch.Length];

        Deskew.ApplyAll(batch, together, 3);

        for (int i = 0; i < 3; i++)
        {
            var one = new byte[784];
            Deskew.Apply(batch.AsSpan(i * 784, 784), one);
            Assert.Equal(one, together.AsSpan(i * 784, 784).ToArray());
        }
    }

    [Fact]
    public void Apply_rejects_a_buffer_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => Deskew.Apply(new byte[784], new byte[700]));
    }
}
