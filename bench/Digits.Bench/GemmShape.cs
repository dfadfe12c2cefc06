namespace Digits.Bench;

/// <summary>One GEMM problem: C (M×N) = op(A) (M×K) · op(B) (K×N).</summary>
public sealed record GemmShape(string Name, bool TransA, bool TransB, int M, int N, int K)
{
    /// <summary>Floating-point operations of one multiply: a multiply and an add per (i, j, p).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>
    /// 512³, and the Keras mnist_convnet shapes whose M, N and K are all at least 64 (the targets). conv2 (32→64
    /// channels, 3×3, 26×26→24×24) runs as im2col GEMM: columns are [images·24·24, 32·9] and the weight is stored
    /// [64, 32·9], PyTorch's layout. dense1 is 9216→128 with weight [128, 9216]. The conv shapes come twice: for
    /// the whole batch of 128 (operands of 19-85 MB, so memory bandwidth bounds them) and for a chunk of 8 images
    /// (operands of a few MB that stay in L3), the way a convolution layer that works chunk by chunk calls GEMM.
    /// </summary>
    public static IEnumerable<GemmShape> Targets { get; } =
    [
        new("512x512x512", false, false, 512, 512, 512),
        .. Convolution(8),
        .. Convolution(128),
        new("dense1 forward", false, true, 128, 128, 9216),
        new("dense1 dInput", false, false, 128, 9216, 128),
        new("dense1 dWeight", true, false, 128, 9216, 128),
    ];

    private static GemmShape[] Convolution(int images) =>
    [
        new($"conv2 forward b{images}", false, true, images * 24 * 24, 64, 32 * 9),
        new($"conv2 dInput b{images}", false, false, images * 24 * 24, 32 * 9, 64),
        new($"conv2 dWeight b{images}", true, false, 64, 32 * 9, images * 24 * 24),
    ];

    public override string ToString() => $"{Name} {M}x{N}x{K}{(TransA ? " At" : "")}{(TransB ? " Bt" : "")}";
}
