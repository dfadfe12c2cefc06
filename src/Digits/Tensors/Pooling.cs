using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// Max and average pooling over independent planes: inp is (N,H,W) with N = batch·channels, out is (N,OH,OW),
/// with a KH×KW window moved by <c>stride</c> and no padding (floor mode, like PyTorch's defaults).
/// </summary>
public static class Pooling
{
    /// <summary>Below this many outputs a max pool runs on the calling thread: waking a worker costs microseconds.</summary>
    private const int ParallelThreshold = 1 << 15;

    /// <summary>
    /// out[n,y,x] = max over the window; argmax records the index within the input plane (y·W + x) of the maximum,
    /// the first one on ties, for <see cref="MaxBackward"/>. Large batches are split over <see cref="WorkerPool"/>
    /// by planes, which changes no result.
    /// </summary>
    public static unsafe void MaxForward(ReadOnlySpan<float> input, Span<float> output, Span<int> argmax,
        int planes, int height, int width, int kernel, int stride)
    {
        int outPlane = ImageColumns.OutputSize(height, kernel, stride, 0) * ImageColumns.OutputSize(width, kernel, stride, 0);
        if (input.Length < planes * height * width || output.Length < planes * outPlane || argmax.Length < planes * outPlane)
        {
            throw new ArgumentException($"{planes} planes of {height}×{width} got input {input.Length}, output {output.Length}, argmax {argmax.Length}");
        }
        int chunks = planes * outPlane < ParallelThreshold ? 1 : Math.Min(planes, Convolution.MaxChunks);
        fixed (float* pInput = input, pOutput = output)
        fixed (int* pArgmax = argmax)
        {
            var body = new MaxChunk(pInput, pOutput, pArgmax, planes, chunks, height, width, kernel, stride);
            if (chunks == 1)
            {
                body.Run(0);
            }
            else
            {
                WorkerPool.For(chunks, body);
            }
        }
    }

    private readonly unsafe struct MaxChunk(float* input, float* output, int* argmax, int planes, int chunks,
        int height, int width, int kernel, int stride) : IParallelBody
    {
        /// <summary>
        /// The common 2×2, stride 2 window, without gathers (on these machines a 256-bit gather cost about 25 cycles,
        /// which made this pool slower than the convolution after it): per output row, four windows at a time, the
        /// two input rows are loaded as pairs of vectors and split into even (left) and odd (right) columns by
        /// shuffles. The four candidates are compared in row-major order, branch-free, exactly as the scalar loop
        /// does, so ties go to the first maximum either way. A row whose width is not a multiple of four ends with a
        /// block that overlaps the previous one and rewrites the same values.
        /// </summary>
        private static void TwoByTwo(float* inp, float* outp, int* arg, int width, int outHeight, int outWidth)
        {
            for (int y = 0; y < outHeight; y++)
            {
                float* top = inp + 2 * y * width, bottom = top + width;
                float* o = outp + y * outWidth;
                int* a = arg + y * outWidth;
                int rowStart = 2 * y * width;
                if (Sse.IsSupported && outWidth >= 4)
                {
                    Vector128<int> right = Vector128.Create(1), down = Vector128.Create(width), steps = Vector128.Create(0, 2, 4, 6);
                    for (int x = 0; ; x += 4)
                    {
                        x = Math.Min(x, outWidth - 4);
                        Vector128<float> t0 = Sse.LoadVector128(top + 2 * x), t1 = Sse.LoadVector128(top + 2 * x + 4);
                        Vector128<float> b0 = Sse.LoadVector128(bottom + 2 * x), b1 = Sse.LoadVector128(bottom + 2 * x + 4);
                        Vector128<int> at = Vector128.Create(rowStart + 2 * x) + steps;
                        Vector128<float> value = Sse.Shuffle(t0, t1, 0b10_00_10_00);
                        Vector128<int> best = at;
                        Vector128<float> v = Sse.Shuffle(t0, t1, 0b11_01_11_01);
                        Vector128<float> greater = Vector128.GreaterThan(v, value);
                        best = Vector128.ConditionalSelect(greater.AsInt32(), at + right, best);
                        value = Vector128.ConditionalSelect(greater, v, value);
                        v = Sse.Shuffle(b0, b1, 0b10_00_10_00);
                        greater = Vector128.GreaterThan(v, value);
                        best = Vector128.ConditionalSelect(greater.AsInt32(), at + down, best);
                        value = Vector128.ConditionalSelect(greater, v, value);
                        v = Sse.Shuffle(b0, b1, 0b11_01_11_01);
                        greater = Vector128.GreaterThan(v, value);
                        Vector128.ConditionalSelect(greater.AsInt32(), at + down + right, best).Store(a + x);
                        Vector128.ConditionalSelect(greater, v, value).Store(o + x);
                        if (x + 4 >= outWidth)
                        {
                            break;
                        }
                    }
                    continue;
                }
                for (int x = 0; x < outWidth; x++)
                {
                    int i = rowStart + 2 * x;
                    float p = inp[i], q = inp[i + 1], r = inp[i + width], t = inp[i + width + 1];
                    int best = q > p ? i + 1 : i;
                    float value = q > p ? q : p;
                    best = r > value ? i + width : best;
                    value = r > value ? r : value;
                    best = t > value ? i + width + 1 : best;
                    o[x] = t > value ? t : value;
                    a[x] = best;
                }
            }
        }

        public void Run(int chunk)
        {
            int outHeight = ImageColumns.OutputSize(height, kernel, stride, 0);
            int outWidth = ImageColumns.OutputSize(width, kernel, stride, 0);
            int inPlane = height * width, outPlane = outHeight * outWidth;
            int first = (int)((long)planes * chunk / chunks), end = (int)((long)planes * (chunk + 1) / chunks);
            bool twoByTwo = kernel == 2 && stride == 2;
            for (int n = first; n < end; n++)
            {
                float* inp = input + (nint)n * inPlane;
                float* outp = output + (nint)n * outPlane;
                int* arg = argmax + (nint)n * outPlane;
                if (twoByTwo)
                {
                    TwoByTwo(inp, outp, arg, width, outHeight, outWidth);
                    continue;
                }
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
                                // selects rather than a branch: on real data the maximum's position is unpredictable
                                float v = inp[rowStart + kx];
                                bool greater = v > bestValue;
                                best = greater ? rowStart + kx : best;
                                bestValue = greater ? v : bestValue;
                            }
                        }
                        outp[y * outWidth + x] = bestValue;
                        arg[y * outWidth + x] = best;
                    }
                }
            }
        }
    }

    /// <summary>dinp is (N,H,W) and is overwritten: each output's gradient goes to the input that was its maximum.</summary>
    public static unsafe void MaxBackward(ReadOnlySpan<float> doutput, ReadOnlySpan<int> argmax, Span<float> dinput,
        int planes, int inPlane, int outPlane)
    {
        if (doutput.Length < planes * outPlane || argmax.Length < planes * outPlane || dinput.Length < planes * inPlane)
        {
            throw new ArgumentException($"{planes} planes of {inPlane} → {outPlane} got doutput {doutput.Length}, argmax {argmax.Length}, dinput {dinput.Length}");
        }
        // Each plane is cleared just before its gradients are scattered into it, so it is written while in L1 rather
        // than cleared in one pass over the whole batch and read back from memory.
        int chunks = planes * outPlane < ParallelThreshold ? 1 : Math.Min(planes, Convolution.MaxChunks);
        fixed (float* pDout = doutput, pDinput = dinput)
        fixed (int* pArgmax = argmax)
        {
            var body = new MaxBackwardChunk(pDout, pArgmax, pDinput, planes, chunks, inPlane, outPlane);
            if (chunks == 1)
            {
                body.Run(0);
            }
            else
            {
                WorkerPool.For(chunks, body);
            }
        }
    }

    private readonly unsafe struct MaxBackwardChunk(float* doutput, int* argmax, float* dinput, int planes, int chunks,
        int inPlane, int outPlane) : IParallelBody
    {
        public void Run(int chunk)
        {
            int first = (int)((long)planes * chunk / chunks), end = (int)((long)planes * (chunk + 1) / chunks);
            for (int n = first; n < end; n++)
            {
                float* dinp = dinput + (nint)n * inPlane;
                float* dout = doutput + (nint)n * outPlane;
                int* arg = argmax + (nint)n * outPlane;
                FloatRuns.Clear(dinp, inPlane);
                for (int i = 0; i < outPlane; i++)
                {
                    dinp[arg[i]] += dout[i];
                }
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
