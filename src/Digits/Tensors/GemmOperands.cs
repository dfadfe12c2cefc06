namespace Digits.Tensors;

/// <summary>
/// One GEMM problem as raw pointers and element strides, the form worker threads can share (spans cannot be
/// captured). Transposes are folded into the strides: op(A)[i, p] = A[i * ARowStride + p * ADepthStride] and
/// op(B)[p, j] = B[p * BDepthStride + j * BColumnStride]; C[i, j] = C[i * CRowStride + j]. With
/// <see cref="Columns"/> set, op(B) is a convolution's im2col matrix read from its image instead (B is unused), for
/// products on one thread.
/// </summary>
internal readonly unsafe struct GemmOperands(
    int m, int n, int k, float alpha,
    float* a, nint aRowStride, nint aDepthStride,
    float* b, nint bDepthStride, nint bColumnStride,
    float beta, float* c, nint cRowStride, ImplicitColumns* columns = null)
{
    public readonly int M = m, N = n, K = k;
    public readonly float Alpha = alpha, Beta = beta;
    public readonly float* A = a;
    public readonly nint ARowStride = aRowStride, ADepthStride = aDepthStride;
    public readonly float* B = b;
    public readonly nint BDepthStride = bDepthStride, BColumnStride = bColumnStride;
    public readonly float* C = c;
    public readonly nint CRowStride = cRowStride;
    public readonly ImplicitColumns* Columns = columns;

    public bool ReadsColumns => Columns != null;
}
