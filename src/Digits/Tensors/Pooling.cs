namespace Digits.Tensors;

/// <summary>
/// Max and average pooling over independent planes: inp is (N,H,W) with N = batch·channels, out is (N,OH,OW),
/// with a KH×KW window moved by <c>stride</c> and no padding (floor mode, like PyTorch's defaults).
/// </summary>
public static class Pooling
{
    /// <summary>
    /// out[n,y,x] = max over the window; argmax records the index within the input plane (y·W + x) of the maximum,
    /// the first one on ties, for <see cref="MaxBackward"/>.
    /// </summary>
    public static void MaxForward(ReadOnlySpan<float> input, Span<float> output, Span<int> argmax,
        int planes, int height, int width, int kernel, int stride)
    {
        int outHeight = ImageColumns.OutputSize(height, kernel, stride, 0);
        int outWidth = ImageColumns.OutputSize(width, kernel, stride, 0);
        int inPlane = height * width, outPlane = outHeight * outWidth;
        for (int n = 0; n < planes; n++)
        {
            ReadOnlySpan<float> inp = input.Slice(n * inPlane, inPlane);
            Span<float> outp = output.Slice(n * outPlane, outPlane);
            Span<int> arg = argmax.Slice(n * outPlane, outPlane);
            for (int y = 0; y < outHeight; y++)
            {
                for (int x = 0; x < outWidth; x++)
                {
                    int best = y * stride * width + x * stride;
                    float bestValue = inp[best];
                    for (int ky = 0; ky < kernel; ky++)
                    {
                        int rowStart = (y * stride + ky) * width + x * stride;
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            float v = inp[rowStart + kx];
                            if (v > bestValue)
                            {
                                bestValue = v;
                                best = rowStart + kx;
                            }
                        }
                    }
                    outp[y * outWidth + x] = bestValue;
                    arg[y * outWidth + x] = best;
                }
            }
        }
    }

    /// <summary>dinp is (N,H,W) and is overwritten: each output's gradient goes to the input that was its maximum.</summary>
    public static void MaxBackward(ReadOnlySpan<float> doutput, ReadOnlySpan<int> argmax, Span<float> dinput,
        int planes, int inPlane, int outPlane)
    {
        dinput[..(planes * inPlane)].Clear();
        for (int n = 0; n < planes; n++)
        {
            Span<float> dinp = dinput.Slice(n * inPlane, inPlane);
            ReadOnlySpan<float> dout = doutput.Slice(n * outPlane, outPlane);
            ReadOnlySpan<int> arg = argmax.Slice(n * outPlane, outPlane);
            for (int i = 0; i < outPlane; i++)
            {
                dinp[arg[i]] += dout[i];
            }
        }
    }

    /// <summary>out[n,y,x] = mean of the window.</summary>
    public static void AverageForward(ReadOnlySpan<float> input, Span<float> output,
        int planes, int height, int width, int kernel, int stride)
    {
        int outHeight = ImageColumns.OutputSize(height, kernel, stride, 0);
        int outWidth = ImageColumns.OutputSize(width, kernel, stride, 0);
        int inPlane = height * width, outPlane = outHeight * outWidth;
        float scale = 1f / (kernel * kernel);
        for (int n = 0; n < planes; n++)
        {
            ReadOnlySpan<float> inp = input.Slice(n * inPlane, inPlane);
            Span<float> outp = output.Slice(n * outPlane, outPlane);
            for (int y = 0; y < outHeight; y++)
            {
                for (int x = 0; x < outWidth; x++)
                {
                    float sum = 0f;
                    for (int ky = 0; ky < kernel; ky++)
                    {
                        int rowStart = (y * stride + ky) * width + x * stride;
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            sum += inp[rowStart + kx];
                        }
                    }
                    outp[y * outWidth + x] = sum * scale;
                }
            }
        }
    }

    /// <summary>dinp is (N,H,W) and is overwritten: each output's gradient is spread evenly over its window.</summary>
    public static void AverageBackward(ReadOnlySpan<float> doutput, Span<float> dinput,
        int planes, int height, int width, int kernel, int stride)
    {
        int outHeight = ImageColumns.OutputSize(height, kernel, stride, 0);
        int outWidth = ImageColumns.OutputSize(width, kernel, stride, 0);
        int inPlane = height * width, outPlane = outHeight * outWidth;
        float scale = 1f / (kernel * kernel);
        dinput[..(planes * inPlane)].Clear();
        for (int n = 0; n < planes; n++)
        {
            Span<float> dinp = dinput.Slice(n * inPlane, inPlane);
            ReadOnlySpan<float> dout = doutput.Slice(n * outPlane, outPlane);
            for (int y = 0; y < outHeight; y++)
            {
                for (int x = 0; x < outWidth; x++)
                {
                    float g = dout[y * outWidth + x] * scale;
                    for (int ky = 0; ky < kernel; ky++)
                    {
                        int rowStart = (y * stride + ky) * width + x * stride;
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            dinp[rowStart + kx] += g;
                        }
                    }
                }
            }
        }
    }

    /// <summary>inp is (N, plane), out is (N): the mean of each plane (global average pooling, Lin et al. 2014).</summary>
    public static void GlobalAverageForward(ReadOnlySpan<float> input, Span<float> output, int planes, int plane)
    {
        for (int n = 0; n < planes; n++)
        {
            output[n] = System.Numerics.Tensors.TensorPrimitives.Sum(input.Slice(n * plane, plane)) / plane;
        }
    }

    /// <summary>dout is (N), dinp is (N, plane) and is overwritten with dout[n] / plane.</summary>
    public static void GlobalAverageBackward(ReadOnlySpan<float> doutput, Span<float> dinput, int planes, int plane)
    {
        for (int n = 0; n < planes; n++)
        {
            dinput.Slice(n * plane, plane).Fill(doutput[n] / plane);
        }
    }
}
