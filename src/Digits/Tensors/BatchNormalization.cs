using System.Numerics.Tensors;

namespace Digits.Tensors;

/// <summary>
/// Batch normalization kernels (Ioffe &amp; Szegedy, "Batch Normalization: Accelerating Deep Network Training by
/// Reducing Internal Covariate Shift", ICML 2015) over x of shape (B, C, S): per channel c, statistics are taken
/// over the B·S values x[:, c, :]. S = H·W for BatchNorm2d and 1 for BatchNorm1d. Sums are accumulated in double.
/// </summary>
public static class BatchNormalization
{
    /// <summary>
    /// Computes the batch mean and biased variance of each channel. mean and variance are (C).
    /// </summary>
    public static void Statistics(ReadOnlySpan<float> input, int batch, int channels, int plane,
        Span<float> mean, Span<float> variance)
    {
        double count = (double)batch * plane;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int b = 0; b < batch; b++)
            {
                sum += TensorPrimitives.Sum(input.Slice((b * channels + c) * plane, plane));
            }
            double mu = sum / count;
            double squares = 0;
            for (int b = 0; b < batch; b++)
            {
                ReadOnlySpan<float> x = input.Slice((b * channels + c) * plane, plane);
                for (int i = 0; i < x.Length; i++)
                {
                    double centered = x[i] - mu;
                    squares += centered * centered;
                }
            }
            mean[c] = (float)mu;
            variance[c] = (float)(squares / count);
        }
    }

    /// <summary>
    /// out = gamma · (inp − mean) · invstd + beta, per channel. inp and out are (B,C,S); gamma, beta, mean and
    /// invstd are (C). invstd is 1/sqrt(var + eps).
    /// </summary>
    public static void Normalize(ReadOnlySpan<float> input, Span<float> output, int batch, int channels, int plane,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> mean, ReadOnlySpan<float> invstd)
    {
        for (int c = 0; c < channels; c++)
        {
            float scale = gamma[c] * invstd[c];
            float shift = beta[c] - mean[c] * scale;
            for (int b = 0; b < batch; b++)
            {
                int offset = (b * channels + c) * plane;
                Span<float> outp = output.Slice(offset, plane);
                TensorPrimitives.Multiply(input.Slice(offset, plane), scale, outp);
                TensorPrimitives.Add(outp, shift, outp);
            }
        }
    }

    /// <summary>
    /// Backward of <see cref="Normalize"/>. dout and inp are (B,C,S). ACCUMULATES dgamma and dbeta (C); overwrites
    /// dinp (B,C,S) unless empty. With <paramref name="batchStatistics"/> the mean and invstd came from this batch,
    /// so the gradient flows through them too (the paper's eq. for ∂ℓ/∂x_i); otherwise they were constants
    /// (running statistics in eval mode).
    /// </summary>
    public static void Backward(Span<float> dinput, Span<float> dgamma, Span<float> dbeta, ReadOnlySpan<float> doutput,
        ReadOnlySpan<float> input, int batch, int channels, int plane,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invstd, bool batchStatistics)
    {
        double count = (double)batch * plane;
        for (int c = 0; c < channels; c++)
        {
            double sumDout = 0, sumDoutX = 0;
            for (int b = 0; b < batch; b++)
            {
                int offset = (b * channels + c) * plane;
                ReadOnlySpan<float> dout = doutput.Slice(offset, plane);
                sumDout += TensorPrimitives.Sum(dout);
                sumDoutX += TensorPrimitives.Dot(dout, input.Slice(offset, plane));
            }
            double istd = invstd[c];
            double sumDoutXhat = istd * (sumDoutX - mean[c] * sumDout);
            dgamma[c] += (float)sumDoutXhat;
            dbeta[c] += (float)sumDout;
            if (dinput.IsEmpty)
            {
                continue;
            }
            // dinp = k·dout + p·x + q with k = gamma·invstd; the batch-statistics terms subtract the mean gradient
            // and the projection onto xhat.
            double k = gamma[c] * istd;
            double p = batchStatistics ? -k * istd * sumDoutXhat / count : 0;
            double q = batchStatistics ? -k * sumDout / count - p * mean[c] : 0;
            for (int b = 0; b < batch; b++)
            {
                int offset = (b * channels + c) * plane;
                Span<float> dinp = dinput.Slice(offset, plane);
                TensorPrimitives.Multiply(doutput.Slice(offset, plane), (float)k, dinp);
                TensorPrimitives.Add(dinp, (float)q, dinp);
                TensorPrimitives.MultiplyAdd(input.Slice(offset, plane), (float)p, dinp, dinp);
            }
        }
    }
}
