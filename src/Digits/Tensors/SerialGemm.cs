namespace Digits.Tensors;

/// <summary>
/// <see cref="Gemm.MultiplyOnThisThread"/> over raw pointers, for convolution, whose work items (one image each)
/// already run in parallel on <see cref="WorkerPool"/> and address their buffers by pointer. Calling <see cref="Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
/// there would start a nested parallel loop from the thread that owns the running job.
/// </summary>
internal static unsafe class SerialGemm
{
    /// <summary>C = alpha * op(A) * op(B) + beta * C, row-major, with the same conventions as <see cref="Gemm"/>; m, n, k &gt; 0.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        Gemm.Run(Gemm.BestPath, new GemmOperands(m, n, k, alpha,
            a, transA ? 1 : lda, transA ? lda : 1,
            b, transB ? 1 : ldb, transB ? ldb : 1,
            beta, c, ldc), onThisThread: true);
    }

    /// <summary>C = A · columns: A is m×k (row stride lda), columns the k×n im2col matrix of one image, read in place.</summary>
    public static void MultiplyColumns(int m, int n, int k, float* a, int lda, ImplicitColumns* columns, float* c, int ldc)
    {
        Gemm.Run(Gemm.BestPath, new GemmOperands(m, n, k, 1f, a, lda, 1, null, 0, 0, 0f, c, ldc, columns), onThisThread: true);
    }
}
