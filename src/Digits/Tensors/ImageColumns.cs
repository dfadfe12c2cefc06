using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>The widest output row <see cref="Im2ColGroup"/> and <see cref="Col2ImGroup"/> move as one vector.</summary>
    internal const int NarrowRow = 16;

    /// <summary>
    /// Whether <see cref="Im2ColGroup"/> and <see cref="Col2ImGroup"/> apply: 512-bit vectors, stride 1, no padding,
    /// and input rows of at most <see cref="NarrowRow"/> floats (the deeper layers of the MNIST CNNs: 12×12, 10×10).
    /// </summary>
    internal static bool NarrowRowsApply(int width, int stride, int padding) =>
        Avx512F.IsSupported && stride == 1 && padding == 0 && width <= NarrowRow;

    /// <summary>
    /// im2col of <paramref name="images"/> images side by side (image j's columns start at j·OH·OW of each row, rows
    /// <paramref name="rowStride"/> floats apart), for <see cref="NarrowRowsApply"/> layers. The generic loop moves
    /// each output row (10 floats in cnn-fast's second convolution, over half a million per batch) with a vector,
    /// a tail and loop overhead; here each is one 16-float load and store. A store spills past its output row into
    /// the next ones of the same matrix row, which are written afterwards because each matrix row is filled in
    /// order, image by image; a run whose vector would read past its own image or write past the images of its
    /// matrix row is copied exactly.
    /// </summary>
    internal static unsafe void Im2ColGroup(float* input, int imageSize, int images, int channels, int height, int width,
        int kernelHeight, int kernelWidth, float* col, int rowStride)
    {
        int outHeight = height - kernelHeight + 1, outWidth = width - kernelWidth + 1, plane = outHeight * outWidth;
        int rows = channels * kernelHeight * kernelWidth;
        for (int r = 0; r < rows; r++)
        {
            int c = r / (kernelHeight * kernelWidth), ky = r / kernelWidth % kernelHeight, kx = r % kernelWidth;
            float* dstRow = col + (nint)r * rowStride, rowEnd = dstRow + images * plane;
            for (int j = 0; j < images; j++)
            {
                float* image = input + (nint)j * imageSize, imageEnd = image + imageSize;
                float* src = image + (c * height + ky) * width + kx;
                float* dst = dstRow + j * plane;
                for (int y = 0; y < outHeight; y++, src += width, dst += outWidth)
                {
                    if (src + NarrowRow <= imageEnd && dst + NarrowRow <= rowEnd)
                    {
                        Vector512.Store(Vector512.Load(src), dst);
                    }
                    else
                    {
                        FloatRuns.Copy(src, dst, outWidth);
                    }
                }
            }
        }
    }

    /// <summary>
    /// col2im of <paramref name="images"/> images side by side (laid out as <see cref="Im2ColGroup"/>'s output),
    /// OVERWRITING each image, for <see cref="NarrowRowsApply"/> layers with input rows of at most
    /// <see cref="NarrowRow"/> floats. Rather than adding every column-matrix row into the image (half a million
    /// read-modify-writes of 10 floats, each of whose loads waits for the overlapping store before it), each input
    /// row is summed in one register: for every (ky, kx) that reaches it, the matching column-matrix row is loaded
    /// kx floats early so that its lanes line up with the input row, and added with the lanes outside the
    /// receptive field zeroed. Every input float gets its terms in the same (ky, kx) order as
    /// <see cref="Col2Im(float*, int, int, int, int, int, int, int, float*, int)"/> adds them onto a cleared image.
    /// </summary>
    internal static unsafe void Col2ImGroup(float* dcol, int rowStride, int images, int channels, int height, int width,
        int kernelHeight, int kernelWidth, float* dinput, int imageSize)
    {
        int outHeight = height - kernelHeight + 1, outWidth = width - kernelWidth + 1, plane = outHeight * outWidth;
        float* dcolEnd = dcol + (nint)(channels * kernelHeight * kernelWidth - 1) * rowStride + images * plane;
        // window[kx] keeps lanes kx .. kx + OW - 1: the input columns that output columns 0 .. OW - 1 reach through kx
        Vector512<float>* window = stackalloc Vector512<float>[kernelWidth];
        for (int kx = 0; kx < kernelWidth; kx++)
        {
            window[kx] = (Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(kx))
                & Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(kx + outWidth))).AsSingle();
        }
        Vector512<float> inside = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width)).AsSingle();
        float* row = stackalloc float[NarrowRow];
        for (int j = 0; j < images; j++)
        {
            float* image = dinput + (nint)j * imageSize, imageEnd = image + imageSize;
            for (int c = 0; c < channels; c++)
            {
                for (int iy = 0; iy < height; iy++)
                {
                    Vector512<float> sum = Vector512<float>.Zero;
                    int kyFirst = Math.Max(0, iy - outHeight + 1), kyEnd = Math.Min(kernelHeight, iy + 1);
                    for (int ky = kyFirst; ky < kyEnd; ky++)
                    {
                        float* line = dcol + (nint)((c * kernelHeight + ky) * kernelWidth) * rowStride + j * plane + (iy - ky) * outWidth;
                        for (int kx = 0; kx < kernelWidth; kx++, line += rowStride)
                        {
                            float* from = line - kx;
                            Vector512<float> terms = from >= dcol && from + NarrowRow <= dcolEnd
                                ? Vector512.Load(from)
                                : Shifted(line, kx, outWidth, row);
                            sum += terms & window[kx];
                        }
                    }
                    float* destination = image + (c * height + iy) * width;
                    if (destination + NarrowRow <= imageEnd)
                    {
                        // spills zeros into the next input rows of this image, which are written after this one
                        Vector512.Store(sum & inside, destination);
                    }
                    else
                    {
                        sum.Store(row);
                        FloatRuns.Copy(row, destination, width);
                    }
                }
            }
        }
    }

    /// <summary>The <paramref name="count"/> floats at <paramref name="source"/> placed at lanes kx.., through <paramref name="buffer"/>, for the matrix's edges.</summary>
    private static unsafe Vector512<float> Shifted(float* source, int kx, int count, float* buffer)
    {
        FloatRuns.Clear(buffer, NarrowRow);
        FloatRuns.Copy(source, buffer + kx, Math.Min(count, NarrowRow - kx));
        return Vector512.Load(buffer);
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
