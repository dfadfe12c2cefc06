using Digits.Tensors;

namespace Digits.Tests.Tensors;

public class DropoutMaskTests
{
    [Theory]
    [InlineData(0.25f)]
    [InlineData(0.5f)]
    public void Mask_drops_about_rate_of_the_values_and_scales_the_rest(float rate)
    {
        float[] mask = new float[100_001];
        DropoutMask.Fill(mask, rate, 42);
        int dropped = mask.Count(v => v == 0f);
        Assert.InRange(dropped / (double)mask.Length, rate - 0.01, rate + 0.01);
        Assert.All(mask, v => Assert.True(v == 0f || v == 1f / (1f - rate)));
    }

    [Fact]
    public void Mask_depends_only_on_key_and_position()
    {
        float[] whole = new float[33], prefix = new float[17], other = new float[33];
        DropoutMask.Fill(whole, 0.5f, 7);
        DropoutMask.Fill(prefix, 0.5f, 7);
        DropoutMask.Fill(other, 0.5f, 8);
        Assert.Equal(whole[..17], prefix);
        Assert.NotEqual(whole, other);
    }

    [Fact]
    public void Rate_zero_keeps_everything()
    {
        float[] mask = new float[7];
        DropoutMask.Fill(mask, 0f, 1);
        Assert.All(mask, v => Assert.Equal(1f, v));
    }
}
