using Digits.Tensors;

namespace Digits.Tests.Tensors;

public class ImageColumnsTests
{
    /// <summary>(C, H, W, K, stride, padding), awkward on purpose: 1-pixel images, kernel as big as the image, strides past it.</summary>
    public static readonly TheoryData<int, int, int, int, int, int> Geometries = new()
    {
        { 1, 1, 1, 1, 1, 0 }, { 1, 3, 3, 3, 1, 1 }, { 2, 7, 5, 3, 1, 0 }, { 3, 7, 7, 3, 2, 1 },
        { 1, 17, 9, 5, 3, 2 }, { 2, 5, 8, 2, 2, 0 }, { 1, 4, 4, 4, 1, 3 }, { 2, 9, 6, 1, 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2Col_matches_the_definition(int c, int h, int w, int k, int stride, int padding)
    {
        float[] image = Random(c * h * w, 1);
        int oh = ImageColumns.OutputSize(h, k, stride, padding), ow = ImageColumns.OutputSize(w, k, stride, padding);
        float[] col = new float[c * k * k * oh * ow];
        col.AsSpan().Fill(float.NaN);
        ImageColumns.Im2Col(image, c, h, w, k, k, stride, padding, col);
        for (int ch = 0; ch < c; ch++)
        {
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    for (int y = 0; y < oh; y++)
                    {
                        for (int x = 0; x < ow; x++)
                        {
                            int iy = y * stride - padding + ky, ix = x * stride - padding + kx;
                            float expected = iy >= 0 && iy < h && ix >= 0 && ix < w ? image[(ch * h + iy) * w + ix] : 0f;
                            Assert.Equal(expected, col[((ch * k + ky) * k + kx) * oh * ow + y * ow + x]);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2Im_is_the_adjoint_of_Im2Col_and_accumulates(int c, int h, int w, int k, int stride, int padding)
    {
        int oh = ImageColumns.OutputSize(h, k, stride, padding), ow = ImageColumns.OutputSize(w, k, stride, padding);
        float[] image = Random(c * h * w, 2), columns = Random(c * k * k * oh * ow, 3);
        float[] imageColumns = new float[columns.Length];
        ImageColumns.Im2Col(image, c, h, w, k, k, stride, padding, imageColumns);
        float[] folded = Random(image.Length, 4);
        float[] start = (float[])folded.Clone();
        ImageColumns.Col2Im(columns, c, h, w, k, k, stride, padding, folded);
        // <im2col(x), y> = <x, col2im(y)>, with col2im's result added to what was there
        double left = 0, right = 0;
        for (int i = 0; i < columns.Length; i++)
        {
            left += (double)imageColumns[i] * columns[i];
        }
        for (int i = 0; i < image.Length; i++)
        {
            right += (double)image[i] * (folded[i] - start[i]);
        }
        Assert.Equal(left, right, 1e-4);
    }

    internal static float[] Random(int length, ulong seed)
    {
        var rng = new Rng(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = 2f * rng.NextFloat() - 1f;
        }
        return values;
    }

    [Theory]
    [InlineData(24, 12, 12, 3, 6)]
    [InlineData(64, 10, 10, 3, 3)]
    [InlineData(2, 5, 5, 5, 4)]
    [InlineData(3, 16, 16, 3, 1)]
    [InlineData(1, 4, 7, 2, 5)]
    [InlineData(1, 9, 9, 3, 1)]
    [InlineData(1, 7, 7, 3, 2)]
    [InlineData(1, 6, 6, 3, 3)]
    [InlineData(1, 10, 10, 5, 1)]
    public unsafe void The_narrow_row_group_paths_match_the_per_image_ones_and_write_nothing_past_their_group(int c, int h, int w, int k, int images)
    {
        const int guard = 32;
        const float sentinel = 12345f;
        int oh = h - k + 1, ow = w - k + 1, plane = oh * ow, rows = c * k * k, width = images * plane, imageSize = c * h * w;
        Assert.True(w <= ImageColumns.NarrowRow);
        if (!ImageColumns.NarrowRowsApply(w, 1, 0))
        {
            return;
        }
        float[] input = Random(images * imageSize, 11);
        float[] expected = new float[rows * width], actual = new float[rows * width + guard];
        actual.AsSpan(rows * width).Fill(sentinel);
        fixed (float* pInput = input, pExpected = expected, pActual = actual)
        {
            for (int j = 0; j < images; j++)
            {
                ImageColumns.Im2Col(pInput + j * imageSize, c, h, w, k, k, 1, 0, pExpected + j * plane, width);
            }
            ImageColumns.Im2ColGroup(pInput, imageSize, images, c, h, w, k, k, pActual, width);
        }
        Assert.Equal(expected, actual[..(rows * width)]);
        Assert.All(actual[(rows * width)..], v => Assert.Equal(sentinel, v));

        float[] dcol = Random(rows * width, 12);
        float[] dExpected = new float[images * imageSize];
        float[] dActual = Random(images * imageSize + guard, 13);
        dActual.AsSpan(images * imageSize).Fill(sentinel);
        fixed (float* pDcol = dcol, pDe = dExpected, pDa = dActual)
        {
            for (int j = 0; j < images; j++)
            {
                ImageColumns.Col2Im(pDcol + j * plane, c, h, w, k, k, 1, 0, pDe + j * imageSize, width);
            }
            ImageColumns.Col2ImGroup(pDcol, width, images, c, h, w, k, k, pDa, imageSize);
        }
        Assert.Equal(dExpected, dActual[..(images * imageSize)]);
        Assert.All(dActual[(images * imageSize)..], v => Assert.Equal(sentinel, v));
    }
}
