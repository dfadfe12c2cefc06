namespace Digits.Tensors;

/// <summary>Which micro-kernel family <see cref="Gemm"/> runs; tests and benchmarks force each one.</summary>
internal enum GemmPath
{
    /// <summary>The fastest path this CPU supports (see <see cref="Gemm.BestPath"/>).</summary>
    Auto,

    /// <summary>AVX-512F: a 12×32 tile in 24 zmm accumulators.</summary>
    Vector512,

    /// <summary>AVX2 + FMA: a 6×16 tile in 12 ymm accumulators.</summary>
    Vector256,

    /// <summary>Vector128 (SSE, NEON on ARM64, or software): a 4×8 tile; keeps every platform working.</summary>
    Portable,
}
