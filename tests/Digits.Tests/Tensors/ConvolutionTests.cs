using Digits.Tensors;

namespace Digits.Tests.Tensors;

public class ConvolutionTests
{
    [Theory]
    [InlineData(0, 1, 5, 5, 2, 3, 1, 0)]
    [InlineData(1, 1, 1, 1, 1, 1, 1, 0)]
    [InlineData(3, 2, 7, 6, 5, 3, 1, 1)]
    [InlineData(1, 64, 20, 20, 48, 3, 1, 1)] // one large image: bands of output rows on separate threads
    [InlineData(1, 40, 33, 33, 32, 3, 2, 1)]
    [InlineData(17, 3, 9, 9, 7, 3, 2, 1)]
    [InlineData(33, 1, 6, 6, 4, 2, 2, 0)]
    [InlineData(100, 4, 8, 8, 6, 3, 1, 1)] // 7 images per chunk in one GEMM, and shorter last groups
    [InlineData(40, 32, 16, 16, 4, 3, 1, 0)] // the L2 bound allows 2 images per GEMM: groups of 2 and 1
    public void Batched_convolution_matches_direct_loops(int batch, int c, int h, int w, int oc, int k, int stride, int padding)
    {
        var g = new ConvolutionGeometry(c, h, w, oc, k, k, stride, padding);
        float[] input = ImageColumnsTests.Random(batch * g.InputSize, 1), weight = ImageColumnsTests.Random(g.WeightSize, 2);
        float[] bias = ImageColumnsTests.Random(oc, 3), dout = ImageColumnsTests.Random(batch * g.OutputSize, 4);
        float[] scratch = new float[Convolution.ScratchLength(g, batch)];
        float[] output = new float[batch * g.OutputSize];
        Convolution.Forward(output, input, weight, bias, batch, g, scratch);
        float[] dinput = new float[input.Length], dweight = new float[weight.Length], dbias = new float[oc];
        dweight.AsSpan().Fill(1f);
        Convolution.Backward(dinput, dweight, dbias, dout, input, weight, batch, g, scratch);

        double[] expectedOut = new double[output.Length], expectedDinput = new double[input.Length];
        double[] expectedDweight = new double[weight.Length], expectedDbias = new double[oc];
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < oc; o++)
            {
                for (int y = 0; y < g.OutHeight; y++)
                {
                    for (int x = 0; x < g.OutWidth; x++)
                    {
                        int outIndex = ((b * oc + o) * g.OutHeight + y) * g.OutWidth + x;
                        double sum = bias[o];
                        expectedDbias[o] += dout[outIndex];
                        for (int ch = 0; ch < c; ch++)
                        {
                            for (int ky = 0; ky < k; ky++)
                            {
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = y * stride - padding + ky, ix = x * stride - padding + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                                    {
                                        continue;
                                    }
                                    int inIndex = ((b * c + ch) * h + iy) * w + ix, wIndex = ((o * c + ch) * k + ky) * k + kx;
                                    sum += (double)weight[wIndex] * input[inIndex];
                                    expectedDweight[wIndex] += (double)dout[outIndex] * input[inIndex];
                                    expectedDinput[inIndex] += (double)dout[outIndex] * weight[wIndex];
                                }
                            }
                        }
                        expectedOut[outIndex] = sum;
                    }
                }
            }
        }
        AssertClose(expectedOut, output);
        AssertClose(expectedDinput, dinput);
        AssertClose(expectedDbias, dbias);
        for (int i = 0; i < weight.Length; i++)
        {
            Assert.Equal(expectedDweight[i] + 1, dweight[i], 1e-3);
        }
    }

    [Fact]
    public void Images_share_a_gemm_up_to_the_l2_bound_and_the_chunk_size()
    {
        Assert.Equal(1, Convolution.GroupSize(new ConvolutionGeometry(32, 26, 26, 64, 3, 3, 1, 0), 128));
        Assert.Equal(1, Convolution.GroupSize(new ConvolutionGeometry(8, 30, 30, 4, 3, 3, 1, 0), 40));
        Assert.Equal(2, Convolution.GroupSize(new ConvolutionGeometry(32, 16, 16, 4, 3, 3, 1, 0), 40));
        Assert.Equal(6, Convolution.GroupSize(new ConvolutionGeometry(24, 12, 12, 32, 3, 3, 1, 0), 256));
        Assert.Equal(1, Convolution.GroupSize(new ConvolutionGeometry(24, 12, 12, 32, 3, 3, 1, 0), 16));
    }

    [Fact]
    public void Backward_without_input_gradient_still_accumulates_weight_gradients()
    {
        var g = new ConvolutionGeometry(1, 5, 5, 2, 3, 3, 1, 0);
        float[] scratch = new float[Convolution.ScratchLength(g, 2)];
        float[] dweight = new float[g.WeightSize], dbias = new float[2];
        float[] input = ImageColumnsTests.Random(50, 1), dout = ImageColumnsTests.Random(2 * g.OutputSize, 2);
        Convolution.Backward(default, dweight, dbias, dout, input, new float[g.WeightSize], 2, g, scratch);
        Assert.Contains(dweight, v => v != 0f);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-3);
        }
    }
}
