using Digits.Tensors;

namespace Digits.Tests.Tensors;

/// <summary>Hand-vectorized kernels against plain scalar loops over every length 0..260 (all vector tails).</summary>
public class ElementwiseKernelTests
{
    [Fact]
    public void Relu_over_a_large_batch_runs_in_parts_with_the_same_result()
    {
        const int length = (1 << 20) + 13;
        float[] input = ImageColumnsTests.Random(length, 5), dout = ImageColumnsTests.Random(length, 6);
        float[] output = new float[length], dinput = new float[length];
        Activations.ReluForward(input, output);
        Activations.ReluBackward(output, dout, dinput);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(Math.Max(input[i], 0f), output[i]);
            Assert.Equal(input[i] > 0 ? dout[i] : 0f, dinput[i]);
        }
    }

    [Fact]
    public void Relu_forward_and_backward_match_scalar_loops_at_every_length()
    {
        for (int length = 0; length <= 260; length++)
        {
            float[] input = ImageColumnsTests.Random(length, (ulong)length), dout = ImageColumnsTests.Random(length, 1000 + (ulong)length);
            if (length > 3)
            {
                input[3] = 0f;
            }
            float[] output = new float[length], dinput = new float[length];
            Activations.ReluForward(input, output);
            Activations.ReluBackward(output, dout, dinput);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(Math.Max(input[i], 0f), output[i]);
                Assert.Equal(input[i] > 0f ? dout[i] : 0f, dinput[i]);
            }
        }
    }

    [Fact]
    public void Adam_kernel_matches_a_scalar_loop_at_every_length()
    {
        for (int length = 0; length <= 260; length++)
        {
            float[] p = ImageColumnsTests.Random(length, 1), g = ImageColumnsTests.Random(length, 2);
            float[] m = ImageColumnsTests.Random(length, 3), v = ImageColumnsTests.Random(length, 4);
            for (int i = 0; i < length; i++)
            {
                v[i] = Math.Abs(v[i]);
            }
            float[] ep = (float[])p.Clone(), em = (float[])m.Clone(), ev = (float[])v.Clone();
            OptimizerKernels.Adam(p, g, m, v, 0.9f, 0.99f, 0.01f, 0.003f, 1.5f, 1e-8f);
            for (int i = 0; i < length; i++)
            {
                float gi = g[i] + 0.01f * ep[i];
                em[i] = 0.9f * em[i] + (1f - 0.9f) * gi;
                ev[i] = 0.99f * ev[i] + (1f - 0.99f) * (gi * gi);
                ep[i] -= 0.003f * (em[i] / (MathF.Sqrt(ev[i]) * 1.5f + 1e-8f));
            }
            Assert.Equal(ep, p);
            Assert.Equal(em, m);
            Assert.Equal(ev, v);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sgd_kernel_matches_a_scalar_loop_at_every_length(bool nesterov)
    {
        for (int length = 0; length <= 260; length++)
        {
            float[] p = ImageColumnsTests.Random(length, 1), g = ImageColumnsTests.Random(length, 2), b = ImageColumnsTests.Random(length, 3);
            float[] ep = (float[])p.Clone(), eb = (float[])b.Clone();
            OptimizerKernels.Sgd(p, g, b, 0.1f, 0.9f, nesterov, 0.01f);
            for (int i = 0; i < length; i++)
            {
                float gi = g[i] + 0.01f * ep[i];
                eb[i] = 0.9f * eb[i] + gi;
                ep[i] -= 0.1f * (nesterov ? gi + 0.9f * eb[i] : eb[i]);
            }
            Assert.Equal(ep, p);
            Assert.Equal(eb, b);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(17)]
    [InlineData(65)]
    public void Softmax_rows_sum_to_one_and_survive_huge_logits(int columns)
    {
        float[] input = ImageColumnsTests.Random(3 * columns, 5);
        input[0] = 1e4f;
        float[] output = new float[input.Length];
        Softmax.Rows(input, output, 3, columns);
        for (int r = 0; r < 3; r++)
        {
            double sum = 0;
            for (int j = 0; j < columns; j++)
            {
                Assert.True(float.IsFinite(output[r * columns + j]));
                sum += output[r * columns + j];
            }
            Assert.Equal(1.0, sum, 1e-5);
        }
    }
}
