using System.Numerics.Tensors;

namespace Digits.Tensors;

/// <summary>
/// im2col and col2im (Chellapilla, Puri &amp; Simard, "High Performance Convolutional Neural Networks for Document
/// Processing", 2006): unroll the receptive fields of one image into the columns of a matrix, so a convolution
/// becomes one GEMM, and fold such a matrix back. Layout is NCHW; rows of the column matrix are ordered
/// (channel, ky, kx), which matches a PyTorch weight (OC, C, KH, KW) read as an OC×(C·KH·KW) matrix.
/// </summary>
public static class ImageColumns
{
    /// <summary>Output size of a convolution or pooling window along one axis (floor mode, like PyTorch).</summary>
    public static int OutputSize(int input, int kernel, int stride, int padding) =>
        (input + 2 * padding - kernel) / stride + 1;

    /// <summary>
    /// Unrolls one image. inp is (C,H,W), col is (C*KH*KW, OH*OW); positions in the zero padding read as 0.
    /// </summary>
    public static void Im2Col(ReadOnlySpan<float> inp, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int stride, int padding, Span<float> col)
    {
        int outHeight = OutputSize(height, kernelHeight, stride, padding);
        int outWidth = OutputSize(width, kernelWidth, stride, padding);
        int plane = outHeight * outWidth;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            for (int ky = 0; ky < kernelHeight; ky++)
            {
                for (int kx = 0; kx < kernelWidth; kx++, row++)
                {
                    Span<float> dst = col.Slice(row * plane, plane);
                    (int xStart, int xEnd) = InsideColumns(outWidth, width, kx, stride, padding);
                    for (int y = 0; y < outHeight; y++)
                    {
                        Span<float> dstRow = dst.Slice(y * outWidth, outWidth);
                        int iy = y * stride - padding + ky;
                        if ((uint)iy >= (uint)height || xStart >= xEnd)
                        {
                            dstRow.Clear();
                            continue;
                        }
                        ReadOnlySpan<float> srcRow = inp.Slice((c * height + iy) * width, width);
                        dstRow[..xStart].Clear();
                        dstRow[xEnd..].Clear();
                        int ix0 = xStart * stride - padding + kx;
                        if (stride == 1)
                        {
                            srcRow.Slice(ix0, xEnd - xStart).CopyTo(dstRow[xStart..xEnd]);
                        }
                        else
                        {
                            for (int x = xStart, ix = ix0; x < xEnd; x++, ix += stride)
                            {
                                dstRow[x] = srcRow[ix];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Folds a column matrix back onto an image, ACCUMULATING: dinp is (C,H,W), dcol is (C*KH*KW, OH*OW). Each
    /// input pixel receives the sum of the entries of every receptive field it appears in (the adjoint of
    /// <see cref="Im2Col"/>). Clear dinp first for a plain gradient.
    /// </summary>
    public static void Col2Im(ReadOnlySpan<float> dcol, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int stride, int padding, Span<float> dinp)
    {
        int outHeight = OutputSize(height, kernelHeight, stride, padding);
        int outWidth = OutputSize(width, kernelWidth, stride, padding);
        int plane = outHeight * outWidth;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            for (int ky = 0; ky < kernelHeight; ky++)
            {
                for (int kx = 0; kx < kernelWidth; kx++, row++)
                {
                    ReadOnlySpan<float> src = dcol.Slice(row * plane, plane);
                    (int xStart, int xEnd) = InsideColumns(outWidth, width, kx, stride, padding);
                    if (xStart >= xEnd)
                    {
                        continue;
                    }
                    for (int y = 0; y < outHeight; y++)
                    {
                        int iy = y * stride - padding + ky;
                        if ((uint)iy >= (uint)height)
                        {
                            continue;
                        }
                        Span<float> dstRow = dinp.Slice((c * height + iy) * width, width);
                        ReadOnlySpan<float> srcRow = src.Slice(y * outWidth, outWidth);
                        int ix0 = xStart * stride - padding + kx;
                        if (stride == 1)
                        {
                            Span<float> target = dstRow.Slice(ix0, xEnd - xStart);
                            TensorPrimitives.Add(target, srcRow[xStart..xEnd], target);
                        }
                        else
                        {
                            for (int x = xStart, ix = ix0; x < xEnd; x++, ix += stride)
                            {
                                dstRow[ix] += srcRow[x];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The output columns [start, end) whose input column x*stride - padding + kx lies inside [0, width).</summary>
    private static (int Start, int End) InsideColumns(int outWidth, int width, int kx, int stride, int padding)
    {
        int offset = padding - kx;
        int start = offset <= 0 ? 0 : (offset + stride - 1) / stride;
        int end = width + offset <= 0 ? 0 : Math.Min(outWidth, (width + offset - 1) / stride + 1);
        return (Math.Min(start, outWidth), end);
    }
}
