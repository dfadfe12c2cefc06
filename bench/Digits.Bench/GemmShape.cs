namespace Digits.Bench;

/// <summary>One GEMM problem: C (M×N) = op(A) (M×K) · op(B) (K×N).</summary>
public sealed record GemmShape(string Name, bool TransA, bool TransB, int M, int N, int K)
{
    /// <summary>Floating-point operations of one multiply: a multiply and an add per (i, j, p).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>
    /// 512³, and the Keras mnist_convnet shapes with batch 128 whose M, N and K are all at least 64 (the targets).
    /// conv2 (32→64 channels, 3×3, 26×26→24×24) runs as im2col GEMM: columns are [B·24·24, 32·9] and the weight
    /// is stored [64, 32·9], PyTorch's layout. dense1 is 9216→128 with weight [128, 9216].
    /// </summary>
    public static IEnumerable<GemmShape> Targets { get; } =
    [
        new("512x512x512", false, false, 512, 512, 512),
        new("conv2 forward", false, true, 128 * 24 * 24, 64, 32 * 9),
        new("conv2 dInput", false, false, 128 * 24 * 24, 32 * 9, 64),
        new("conv2 dWeight", true, false, 64, 32 * 9, 128 * 24 * 24),
        new("dense1 forward", false, true, 128, 128, 9216),
        new("dense1 dInput", false, false, 128, 9216, 128),
        new("dense1 dWeight", true, false, 128, 9216, 128),
    ];

    public override string ToString() => $"{Name} ({M}x{N}x{K}{(TransA ? " Aᵀ" : "")}{(TransB ? " Bᵀ" : "")})";
}
