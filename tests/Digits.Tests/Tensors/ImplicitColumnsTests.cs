using Digits.Tensors;

namespace Digits.Tests.Tensors;

/// <summary>
/// Columns packed straight from an image are the floats im2col then packing would give, so a convolution of one
/// image gives the same bits whichever way its columns are made.
/// </summary>
[Collection(WorkerPoolThreadsCollection.Name)]
public unsafe class ImplicitColumnsTests
{
    [Theory]
    [InlineData(32, 26, 26, 3, 0, 0, 576, 288, 48)]   // the bundled model's second convolution, whole
    [InlineData(32, 26, 26, 3, 256, 0, 576, 32, 48)]  // its second depth block
    [InlineData(32, 12, 12, 3, 7, 13, 77, 101, 32)]   // odd offsets into the matrix; a part-filled last sliver
    [InlineData(64, 10, 10, 3, 0, 5, 59, 576, 16)]    // 8-wide output rows, 16-wide slivers
    [InlineData(3, 20, 17, 5, 11, 0, 100, 64, 48)]    // 5×5 kernel, non-square image
    public void Packing_from_the_image_gives_the_slivers_of_its_stored_columns(
        int c, int h, int w, int k, int depthStart, int laneStart, int lanes, int depth, int sliverWidth)
    {
        var g = new ConvolutionGeometry(c, h, w, 1, k, k, 1, 0);
        float[] image = ImageColumnsTests.Random(g.InputSize, 7);
        float[] columns = new float[g.ColumnRows * g.OutputPlane];
        ImageColumns.Im2Col(image, c, h, w, k, k, 1, 0, columns);
        int slivers = (lanes + sliverWidth - 1) / sliverWidth;
        float[] expected = ImageColumnsTests.Random(slivers * sliverWidth * depth, 8), actual = ImageColumnsTests.Random(expected.Length, 9);

        fixed (float* pImage = image, pColumns = columns, pExpected = expected, pActual = actual)
        {
            GemmPacking.Pack(pColumns + (nint)depthStart * g.OutputPlane + laneStart, 1, g.OutputPlane, lanes, depth, sliverWidth, pExpected);
            new ImplicitColumns(pImage, g, 0).Pack(depthStart, laneStart, lanes, depth, sliverWidth, pActual);
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_band_of_output_rows_packs_the_columns_from_its_first_row()
    {
        var g = new ConvolutionGeometry(4, 16, 16, 1, 3, 3, 1, 0);
        int firstRow = 5, rows = 6, lanes = rows * g.OutWidth;
        float[] image = ImageColumnsTests.Random(g.InputSize, 3);
        float[] columns = new float[g.ColumnRows * lanes];
        float[] expected = new float[(lanes + 31) / 32 * 32 * g.ColumnRows], actual = new float[expected.Length];

        fixed (float* pImage = image, pColumns = columns, pExpected = expected, pActual = actual)
        {
            ImageColumns.Im2Col(pImage, g.Channels, g.Height, g.Width, 3, 3, 1, 0, pColumns, lanes, firstRow, rows);
            GemmPacking.Pack(pColumns, 1, lanes, lanes, g.ColumnRows, 32, pExpected);
            new ImplicitColumns(pImage, g, firstRow).Pack(0, 0, lanes, g.ColumnRows, 32, pActual);
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(1, 32, 26, 26, 32, 1)]   // the bundled model's second convolution, one thread
    [InlineData(1, 64, 10, 10, 64, 1)]
    [InlineData(1, 64, 30, 30, 48, 2)]   // bands of output rows on two threads
    public void A_convolution_of_one_image_gives_the_bits_of_im2col_and_gemm(int batch, int c, int h, int w, int oc, int threads)
    {
        var g = new ConvolutionGeometry(c, h, w, oc, 3, 3, 1, 0);
        Assert.True(ImplicitColumns.Apply(g));
        float[] input = ImageColumnsTests.Random(batch * g.InputSize, 1), weight = ImageColumnsTests.Random(g.WeightSize, 2);
        float[] bias = ImageColumnsTests.Random(oc, 3);
        float[] output = new float[batch * g.OutputSize], expected = new float[output.Length];
        float[] columns = new float[g.ColumnRows * g.OutputPlane];
        int saved = WorkerPool.Threads;
        try
        {
            WorkerPool.Threads = threads;
            Convolution.Forward(output, input, weight, bias, batch, g, new float[Convolution.ScratchLength(g, batch)]);
        }
        finally
        {
            WorkerPool.Threads = saved;
        }

        fixed (float* pInput = input, pWeight = weight, pColumns = columns, pExpected = expected)
        {
            for (int b = 0; b < batch; b++)
            {
                ImageColumns.Im2Col(pInput + b * g.InputSize, c, h, w, 3, 3, 1, 0, pColumns, g.OutputPlane);
                float* outImage = pExpected + b * g.OutputSize;
                SerialGemm.Multiply(false, false, oc, g.OutputPlane, g.ColumnRows, 1f, pWeight, g.ColumnRows, pColumns, g.OutputPlane, 0f, outImage, g.OutputPlane);
                for (int o = 0; o < oc; o++)
                {
                    for (int i = 0; i < g.OutputPlane; i++)
                        outImage[o * g.OutputPlane + i] += bias[o];
                }
            }
        }

        Assert.Equal(expected, output);
    }

    [Fact]
    public void Layers_with_stride_padding_or_narrow_output_rows_keep_im2col()
    {
        Assert.False(ImplicitColumns.Apply(new ConvolutionGeometry(1, 28, 28, 8, 3, 3, 2, 0)));
        Assert.False(ImplicitColumns.Apply(new ConvolutionGeometry(1, 28, 28, 8, 3, 3, 1, 1)));
        Assert.False(ImplicitColumns.Apply(new ConvolutionGeometry(8, 9, 9, 8, 3, 3, 1, 0)));
        Assert.True(ImplicitColumns.Apply(new ConvolutionGeometry(8, 10, 10, 8, 3, 3, 1, 0)));
    }
}
