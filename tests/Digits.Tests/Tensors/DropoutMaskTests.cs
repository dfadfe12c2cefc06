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
    public void Vector_and_scalar_draws_agree()
    {
        // the vector path fills groups of 16 elements: every element must still be the documented draw for (key, i)
        float[] mask = new float[1000];
        DropoutMask.Fill(mask, 0.3f, 99);
        ulong threshold = (ulong)(0.3f * 4294967296.0);
        for (int i = 0; i < mask.Length; i++)
        {
            ulong z = 99UL + (ulong)(i / 2) * 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            ulong half = i % 2 == 0 ? z & 0xFFFF_FFFFUL : z >> 32;
            Assert.Equal(half < threshold ? 0f : 1f / (1f - 0.3f), mask[i]);
        }
    }

    [Fact]
    public void Rate_zero_keeps_everything()
    {
        float[] mask = new float[7];
        DropoutMask.Fill(mask, 0f, 1);
        Assert.All(mask, v => Assert.Equal(1f, v));
    }
}
