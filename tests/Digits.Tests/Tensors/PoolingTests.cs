using Digits.Tensors;

namespace Digits.Tests.Tensors;

public class PoolingTests
{
    [Theory]
    [InlineData(0, 4, 4, 2, 2)]
    [InlineData(1, 1, 1, 1, 1)]
    [InlineData(3, 7, 5, 2, 2)]
    [InlineData(2, 9, 8, 3, 2)]
    [InlineData(5, 6, 6, 3, 1)]
    [InlineData(4, 24, 24, 2, 2)]
    [InlineData(2, 17, 35, 2, 2)]
    public void Max_and_average_pooling_match_the_definition(int planes, int h, int w, int k, int stride)
    {
        int oh = ImageColumns.OutputSize(h, k, stride, 0), ow = ImageColumns.OutputSize(w, k, stride, 0);
        float[] input = ImageColumnsTests.Random(planes * h * w, 1);
        float[] max = new float[planes * oh * ow], average = new float[max.Length];
        int[] argmax = new int[max.Length];
        Pooling.MaxForward(input, max, argmax, planes, h, w, k, stride);
        Pooling.AverageForward(input, average, planes, h, w, k, stride);
        for (int n = 0; n < planes; n++)
        {
            for (int y = 0; y < oh; y++)
            {
                for (int x = 0; x < ow; x++)
                {
                    float best = float.NegativeInfinity;
                    double sum = 0;
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            float v = input[n * h * w + (y * stride + ky) * w + x * stride + kx];
                            best = Math.Max(best, v);
                            sum += v;
                        }
                    }
                    int o = (n * oh + y) * ow + x;
                    Assert.Equal(best, max[o]);
                    Assert.Equal(best, input[n * h * w + argmax[o]]);
                    Assert.Equal(sum / (k * k), average[o], 1e-5);
                }
            }
        }
    }

    [Theory]
    [InlineData(3, 24, 24)]
    [InlineData(2, 10, 14)]
    [InlineData(1, 9, 36)]
    [InlineData(2, 4, 6)]
    [InlineData(2, 8, 8)]
    [InlineData(2, 10, 11)]
    [InlineData(1, 3, 2)]
    public void Two_by_two_max_pooling_picks_the_first_maximum_in_row_major_order(int planes, int h, int w)
    {
        // values from {0, 1, 2}: ties everywhere, as after a ReLU; enough windows for the vector path and a tail
        var random = new Random(7);
        float[] input = Enumerable.Range(0, planes * h * w).Select(_ => (float)random.Next(3)).ToArray();
        int oh = h / 2, ow = w / 2;
        float[] max = new float[planes * oh * ow];
        int[] argmax = new int[max.Length];
        Pooling.MaxForward(input, max, argmax, planes, h, w, 2, 2);
        for (int n = 0; n < planes; n++)
        {
            for (int o = 0; o < oh * ow; o++)
            {
                int topLeft = 2 * (o / ow) * w + 2 * (o % ow);
                int[] window = [topLeft, topLeft + 1, topLeft + w, topLeft + w + 1];
                float best = window.Max(i => input[n * h * w + i]);
                Assert.Equal(best, max[n * oh * ow + o]);
                Assert.Equal(window.First(i => input[n * h * w + i] == best), argmax[n * oh * ow + o]);
            }
        }
    }

    [Fact]
    public void Max_backward_routes_each_gradient_to_its_maximum_and_sums_overlaps()
    {
        float[] input = [0f, 5f, 1f, 2f, 3f, 4f, 0f, 1f, 0f];
        float[] output = new float[4];
        int[] argmax = new int[4];
        Pooling.MaxForward(input, output, argmax, 1, 3, 3, 2, 1);
        float[] dinput = new float[9];
        dinput.AsSpan().Fill(9f);
        Pooling.MaxBackward([1f, 2f, 3f, 4f], argmax, dinput, 1, 9, 4);
        Assert.Equal([0f, 3f, 0f, 0f, 3f, 4f, 0f, 0f, 0f], dinput);
    }

    [Fact]
    public void Max_backward_over_many_planes_runs_in_parallel_and_matches_a_serial_scatter()
    {
        const int planes = 300, h = 24, w = 24, oh = 12, ow = 12;
        float[] input = ImageColumnsTests.Random(planes * h * w, 3), dout = ImageColumnsTests.Random(planes * oh * ow, 4);
        float[] output = new float[planes * oh * ow];
        int[] argmax = new int[output.Length];
        Pooling.MaxForward(input, output, argmax, planes, h, w, 2, 2);
        float[] dinput = Enumerable.Repeat(float.NaN, planes * h * w).ToArray();
        Pooling.MaxBackward(dout, argmax, dinput, planes, h * w, oh * ow);
        var expected = new float[dinput.Length];
        for (int n = 0; n < planes; n++)
        {
            for (int i = 0; i < oh * ow; i++)
                expected[n * h * w + argmax[n * oh * ow + i]] += dout[n * oh * ow + i];
        }
        Assert.Equal(expected, dinput);
    }

    [Fact]
    public void Global_average_pooling_averages_each_plane_and_spreads_gradients_evenly()
    {
        float[] output = new float[2];
        Pooling.GlobalAverageForward([1f, 2f, 3f, 6f, 10f, 20f, 30f, 60f], output, 2, 4);
        Assert.Equal([3f, 30f], output);
        float[] dinput = new float[8];
        Pooling.GlobalAverageBackward([4f, 8f], dinput, 2, 4);
        Assert.Equal([1f, 1f, 1f, 1f, 2f, 2f, 2f, 2f], dinput);
    }
}
