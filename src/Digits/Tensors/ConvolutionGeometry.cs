namespace Digits.Tensors;

/// <summary>
/// The sizes of a 2-D convolution over one NCHW image: input (C,H,W), weight (OC,C,KH,KW), output (OC,OH,OW).
/// In GEMM terms the output is weight (OC × <see cref="ColumnRows"/>) times im2col (<see cref="ColumnRows"/> ×
/// <see cref="OutputPlane"/>).
/// </summary>
public readonly record struct ConvolutionGeometry(
    int Channels, int Height, int Width, int OutChannels, int KernelHeight, int KernelWidth, int Stride, int Padding)
{
    public int OutHeight => ImageColumns.OutputSize(Height, KernelHeight, Stride, Padding);

    public int OutWidth => ImageColumns.OutputSize(Width, KernelWidth, Stride, Padding);

    /// <summary>Rows of the im2col matrix, C·KH·KW: the GEMM depth.</summary>
    public int ColumnRows => Channels * KernelHeight * KernelWidth;

    /// <summary>Output pixels per channel, OH·OW: columns of the im2col matrix.</summary>
    public int OutputPlane => OutHeight * OutWidth;

    /// <summary>Floats in one input image.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Floats in one output image.</summary>
    public int OutputSize => OutChannels * OutputPlane;

    /// <summary>Floats in the weight, OC·C·KH·KW.</summary>
    public int WeightSize => OutChannels * ColumnRows;
}
