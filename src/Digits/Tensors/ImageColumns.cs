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
    public static unsafe void Im2Col(ReadOnlySpan<float> inp, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int stride, int padding, Span<float> col)
    {
        CheckLengths(inp.Length, col.Length, channels, height, width, kernelHeight, kernelWidth, stride, padding);
        fixed (float* pInp = inp, pCol = col)
        {
            Im2Col(pInp, channels, height, width, kernelHeight, kernelWidth, stride, padding, pCol,
                OutputSize(height, kernelHeight, stride, padding) * OutputSize(width, kernelWidth, stride, padding));
        }
    }

    /// <summary>
    /// Folds a column matrix back onto an image, ACCUMULATING: dinp is (C,H,W), dcol is (C*KH*KW, OH*OW). Each
    /// input pixel receives the sum of the entries of every receptive field it appears in (the adjoint of
    /// <see cref="Im2Col(ReadOnlySpan{float}, int, int, int, int, int, int, int, Span{float})"/>). Clear dinp first
    /// for a plain gradient.
    /// </summary>
    public static unsafe void Col2Im(ReadOnlySpan<float> dcol, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int stride, int padding, Span<float> dinp)
    {
        CheckLengths(dinp.Length, dcol.Length, channels, height, width, kernelHeight, kernelWidth, stride, padding);
        fixed (float* pDcol = dcol, pDinp = dinp)
        {
            Col2Im(pDcol, channels, height, width, kernelHeight, kernelWidth, stride, padding, pDinp,
                OutputSize(height, kernelHeight, stride, padding) * OutputSize(width, kernelWidth, stride, padding));
        }
    }

    /// <summary>
    /// The pointer form of the span overload, for callers that already hold pointers (convolution's work items).
    /// Rows of the column matrix are <paramref name="rowStride"/> floats apart (at least OH·OW), so several images'
    /// columns can sit side by side in one matrix and share one GEMM. With <paramref name="firstRow"/> and
    /// <paramref name="rows"/>, only the receptive fields of those output rows are unrolled (columns
    /// [0, rows·OW) of the matrix), so the halves of one image can be unrolled and multiplied on two threads.
    /// </summary>
    internal static unsafe void Im2Col(float* inp, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int stride, int padding, float* col, int rowStride, int firstRow = 0, int rows = -1)
    {
        int outWidth = OutputSize(width, kernelWidth, stride, padding);
        int outHeight = rows >= 0 ? rows : OutputSize(height, kernelHeight, stride, padding);
        int rowOffset = firstRow * stride;
        int plane = rowStride;
        float* dst = col;
        for (int c = 0; c < channels; c++)
        {
            for (int ky = 0; ky < kernelHeight; ky++)
            {
                for (int kx = 0; kx < kernelWidth; kx++, dst += plane)
                {
                    (int xStart, int xEnd) = InsideColumns(outWidth, width, kx, stride, padding);
                    int ix0 = xStart * stride - padding + kx;
                    for (int y = 0; y < outHeight; y++)
                    {
                        float* dstRow = dst + y * outWidth;
                        int iy = rowOffset + y * stride - padding + ky;
                        if ((uint)iy >= (uint)height || xStart >= xEnd)
                        {
                            FloatRuns.Clear(dstRow, outWidth);
                            continue;
                        }
                        FloatRuns.Clear(dstRow, xStart);
                        FloatRuns.Clear(dstRow + xEnd, outWidth - xEnd);
                        float* srcRow = inp + (c * height + iy) * width;
                        if (stride == 1)
                        {
                            FloatRuns.Copy(srcRow + ix0, dstRow + xStart, xEnd - xStart);
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

    /// <summary>The pointer form of the span overload; rows of the column matrix are <paramref name="rowStride"/> floats apart.</summary>
    internal static unsafe void Col2Im(float* dcol, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int stride, int padding, float* dinp, int rowStride)
    {
        int outHeight = OutputSize(height, kernelHeight, stride, padding);
        int outWidth = OutputSize(width, kernelWidth, stride, padding);
        int plane = rowStride;
        float* src = dcol;
        for (int c = 0; c < channels; c++)
        {
            for (int ky = 0; ky < kernelHeight; ky++)
            {
                for (int kx = 0; kx < kernelWidth; kx++, src += plane)
                {
                    (int xStart, int xEnd) = InsideColumns(outWidth, width, kx, stride, padding);
                    if (xStart >= xEnd)
                    {
                        continue;
                    }
                    int ix0 = xStart * stride - padding + kx;
                    for (int y = 0; y < outHeight; y++)
                    {
                        int iy = y * stride - padding + ky;
                        if ((uint)iy >= (uint)height)
                        {
                            continue;
                        }
                        float* dstRow = dinp + (c * height + iy) * width;
                        float* srcRow = src + y * outWidth;
                        if (stride == 1)
                        {
                            FloatRuns.Add(srcRow + xStart, dstRow + ix0, xEnd - xStart);
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

    private static void CheckLengths(int image, int columns, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int stride, int padding)
    {
        long columnLength = (long)channels * kernelHeight * kernelWidth
            * OutputSize(height, kernelHeight, stride, padding) * OutputSize(width, kernelWidth, stride, padding);
        if (image < (long)channels * height * width || columns < columnLength)
        {
            throw new ArgumentException(
                $"{channels}×{height}×{width} image with a {kernelHeight}×{kernelWidth} kernel got image {image} and columns {columns} floats, need {channels * height * width} and {columnLength}");
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
