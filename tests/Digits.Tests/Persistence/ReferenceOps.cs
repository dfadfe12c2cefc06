namespace Digits.Tests.Persistence;

/// <summary>A row-major float tensor for the reference operators.</summary>
internal sealed record RefTensor(float[] Data, int[] Shape)
{
    public static RefTensor Random(Random rng, params int[] shape)
    {
        var data = new float[shape.Aggregate(1, (a, d) => a * d)];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)(rng.NextDouble() * 2 - 1);
        return new RefTensor(data, shape);
    }
}

/// <summary>
/// Plain loops that state what each ONNX operator computes (https://onnx.ai/onnx/operators/), in double
/// precision, so that exported graphs can be checked against something other than ONNX Runtime itself.
/// Layouts are NCHW; pads are (top, left, bottom, right).
/// </summary>
internal static class ReferenceOps
{
    // x is (N,C,H,W), w is (O,C,KH,KW), b is (O) or null, out is (N,O,OH,OW)
    public static RefTensor Conv2d(RefTensor x, RefTensor w, RefTensor? b, int stride, int pad)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * pad - kh) / stride + 1, ow = (wd + 2 * pad - kw) / stride + 1;
        var y = new float[n * o * oh * ow];
        for (int ni = 0; ni < n; ni++)
        {
            for (int oi = 0; oi < o; oi++)
            {
                for (int r = 0; r < oh; r++)
                {
                    for (int q = 0; q < ow; q++)
                    {
                        double sum = b?.Data[oi] ?? 0;
                        for (int ci = 0; ci < c; ci++)
                        {
                            for (int i = 0; i < kh; i++)
                            {
                                for (int j = 0; j < kw; j++)
                                {
                                    int yy = r * stride + i - pad, xx = q * stride + j - pad;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= wd)
                                        continue;
                                    sum += (double)x.Data[((ni * c + ci) * h + yy) * wd + xx] * w.Data[((oi * c + ci) * kh + i) * kw + j];
                                }
                            }
                        }
                        y[((ni * o + oi) * oh + r) * ow + q] = (float)sum;
                    }
                }
            }
        }
        return new RefTensor(y, [n, o, oh, ow]);
    }

    // x is (N,C,H,W), out is (N,C,OH,OW); padding cells are skipped, so average pooling does not count them
    public static RefTensor Pool2d(RefTensor x, int kernel, int stride, int pad, bool max)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int oh = (h + 2 * pad - kernel) / stride + 1, ow = (w + 2 * pad - kernel) / stride + 1;
        var y = new float[n * c * oh * ow];
        for (int nc = 0; nc < n * c; nc++)
        {
            for (int r = 0; r < oh; r++)
            {
                for (int q = 0; q < ow; q++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    int count = 0;
                    for (int i = 0; i < kernel; i++)
                    {
                        for (int j = 0; j < kernel; j++)
                        {
                            int yy = r * stride + i - pad, xx = q * stride + j - pad;
                            if (yy < 0 || yy >= h || xx < 0 || xx >= w)
                                continue;
                            float v = x.Data[(nc * h + yy) * w + xx];
                            acc = max ? Math.Max(acc, v) : acc + v;
                            count++;
                        }
                    }
                    y[(nc * oh + r) * ow + q] = (float)(max ? acc : acc / count);
                }
            }
        }
        return new RefTensor(y, [n, c, oh, ow]);
    }

    // x is (N,C,H,W), out is (N,C,1,1)
    public static RefTensor GlobalAveragePool(RefTensor x)
    {
        int n = x.Shape[0], c = x.Shape[1], hw = x.Shape[2] * x.Shape[3];
        var y = new float[n * c];
        for (int nc = 0; nc < n * c; nc++)
            y[nc] = (float)x.Data.Skip(nc * hw).Take(hw).Average(v => (double)v);
        return new RefTensor(y, [n, c, 1, 1]);
    }

    public static RefTensor Relu(RefTensor x) => x with { Data = x.Data.Select(v => Math.Max(v, 0f)).ToArray() };

    // a is (M,K), w is (N,K) as a linear layer stores it, c is (N) or null, out is (M,N)
    public static RefTensor Linear(RefTensor a, RefTensor w, RefTensor? c)
    {
        int m = a.Shape[0], k = a.Shape[1], n = w.Shape[0];
        var y = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = c?.Data[j] ?? 0;
                for (int p = 0; p < k; p++)
                    sum += (double)a.Data[i * k + p] * w.Data[j * k + p];
                y[i * n + j] = (float)sum;
            }
        }
        return new RefTensor(y, [m, n]);
    }

    // x is (N,C,H,W); per-channel statistics are (C)
    public static RefTensor BatchNorm(RefTensor x, RefTensor scale, RefTensor bias, RefTensor mean, RefTensor variance, float epsilon)
    {
        int c = x.Shape[1], hw = x.Shape[2] * x.Shape[3];
        var y = new float[x.Data.Length];
        for (int i = 0; i < y.Length; i++)
        {
            int ch = i / hw % c;
            y[i] = (float)((x.Data[i] - mean.Data[ch]) / Math.Sqrt(variance.Data[ch] + epsilon) * scale.Data[ch] + bias.Data[ch]);
        }
        return new RefTensor(y, x.Shape);
    }

    /// <summary>Row-major data is already flat: only the shape changes, to (N, rest).</summary>
    public static RefTensor Flatten(RefTensor x) => x with { Shape = [x.Shape[0], x.Data.Length / x.Shape[0]] };

    // x is (M,N), softmax over each row
    public static RefTensor Softmax(RefTensor x)
    {
        int m = x.Shape[0], n = x.Shape[1];
        var y = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            var row = x.Data.AsSpan(i * n, n);
            double max = row.ToArray().Max();
            double sum = 0;
            foreach (float v in row)
                sum += Math.Exp(v - max);
            for (int j = 0; j < n; j++)
                y[i * n + j] = (float)(Math.Exp(row[j] - max) / sum);
        }
        return new RefTensor(y, [m, n]);
    }
}
