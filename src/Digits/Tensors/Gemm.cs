using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// Single-precision general matrix multiply, the one core that convolution (through im2col), linear layers and
/// SVM kernel rows call.
/// </summary>
/// <remarks>
/// The design follows Goto &amp; van de Geijn, "Anatomy of High-Performance Matrix Multiplication" (ACM TOMS
/// 34(3), 2008) and Van Zee &amp; van de Geijn, "BLIS: A Framework for Rapidly Instantiating BLAS Functionality"
/// (ACM TOMS 41(3), 2015): operands are packed into cache-sized panels (<see cref="GemmPacking"/>), a
/// register-blocked micro-kernel does all the arithmetic (<see cref="GemmKernel512"/>,
/// <see cref="GemmKernel256"/>, <see cref="GemmKernelPortable"/>), and five loops around it block for L1, L2
/// and L3 (<see cref="GemmDriver{TKernel}"/>). Threads split C into rectangles and never split the depth K
/// (<see cref="GemmPartition"/>), so results are bit-identical for any <see cref="WorkerPool.Threads"/>.
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, all row-major. op(A) is M×K and op(B) is K×N; lda, ldb and ldc are
    /// row strides in elements. <paramref name="transA"/>: A is stored K×M and its transpose is used.
    /// <paramref name="transB"/>: B is stored N×K. beta == 0 overwrites C without reading it, even if it holds NaN.
    /// C must not overlap A or B. Large products run on <see cref="WorkerPool.Threads"/> threads with bit-identical
    /// results for any thread count.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Multiply(GemmPath.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// <see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// on the calling thread only, for work items that already run in parallel on <see cref="WorkerPool"/> (a pair of
    /// SVM classes, an image in convolution): a parallel product there would start a nested loop from the thread that
    /// owns the running job.
    /// </summary>
    public static void MultiplyOnThisThread(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Multiply(GemmPath.Auto, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, onThisThread: true);

    /// <summary>The path <see cref="GemmPath.Auto"/> picks on this CPU.</summary>
    internal static GemmPath BestPath { get; } =
        Avx512F.IsSupported ? GemmPath.Vector512
        : Avx2.IsSupported && Fma.IsSupported ? GemmPath.Vector256
        : GemmPath.Portable;

    /// <summary>Whether this CPU can run <paramref name="path"/>.</summary>
    internal static bool IsSupported(GemmPath path) => path switch
    {
        GemmPath.Vector512 => Avx512F.IsSupported,
        GemmPath.Vector256 => Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };

    /// <summary><see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> on a chosen micro-kernel path.</summary>
    /// <param name="onThisThread">Run on the calling thread only (<see cref="MultiplyOnThisThread"/>).</param>
    internal static unsafe void Multiply(GemmPath path, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, bool onThisThread = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        (int aRows, int aColumns) = transA ? (k, m) : (m, k);
        (int bRows, int bColumns) = transB ? (n, k) : (k, n);
        CheckMatrix(a.Length, aRows, aColumns, lda, nameof(a), nameof(lda));
        CheckMatrix(b.Length, bRows, bColumns, ldb, nameof(b), nameof(ldb));
        CheckMatrix(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (path == GemmPath.Auto)
        {
            path = BestPath;
        }
        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException($"GEMM path {path} needs instructions this CPU lacks.");
        }
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || alpha == 0f)
        {
            ScaleRows(c, m, n, ldc, beta);
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var op = new GemmOperands(m, n, k, alpha,
                pa, transA ? 1 : lda, transA ? lda : 1,
                pb, transB ? 1 : ldb, transB ? ldb : 1,
                beta, pc, ldc);
            Run(path, op, onThisThread);
        }
    }

    /// <summary>
    /// The one place a path becomes a micro-kernel: the products of <paramref name="op"/> on <paramref name="path"/>,
    /// split over <see cref="WorkerPool"/> by <see cref="GemmPartition"/>, or on the calling thread.
    /// </summary>
    internal static void Run(GemmPath path, in GemmOperands op, bool onThisThread)
    {
        switch (path)
        {
            case GemmPath.Vector512 when PrefersWideTiles(op.M, op.N):
                Run<GemmKernel512Wide>(op, onThisThread);
                break;
            case GemmPath.Vector512:
                Run<GemmKernel512>(op, onThisThread);
                break;
            case GemmPath.Vector256:
                Run<GemmKernel256>(op, onThisThread);
                break;
            default:
                Run<GemmKernelPortable>(op, onThisThread);
                break;
        }
    }

    private static void Run<TKernel>(in GemmOperands op, bool onThisThread) where TKernel : IGemmMicroKernel
    {
        if (op.ReadsColumns && !onThisThread)
        {
            throw new InvalidOperationException("columns read from an image are multiplied on one thread only");
        }
        if (onThisThread)
        {
            GemmDriver<TKernel>.MultiplyRectangle(op, 0, op.M, 0, op.N);
        }
        else
        {
            GemmPartition.Run<TKernel>(op);
        }
    }

    /// <summary>
    /// Whether the 8×48 micro-kernel (<see cref="GemmKernel512Wide"/>) pads C less than the 12×32 one: it does when
    /// M is a multiple of 8 but not of 12 and N is not much off a multiple of 48 (M = 64, N = 288 in the Keras
    /// convnet's weight gradient: 64×288 instead of 72×288 computed; but not 128×128, which 8×48 pads to 128×144).
    /// </summary>
    internal static bool PrefersWideTiles(int m, int n) =>
        (long)RoundUp(m, GemmKernel512Wide.TileRows) * RoundUp(n, GemmKernel512Wide.TileColumns)
        < (long)RoundUp(m, GemmKernel512.TileRows) * RoundUp(n, GemmKernel512.TileColumns);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A matrix of rows×columns with row stride <paramref name="stride"/> needs (rows-1)*stride+columns elements.</summary>
    private static void CheckMatrix(int length, int rows, int columns, int stride, string spanName, string strideName)
    {
        if (stride < Math.Max(1, columns))
        {
            throw new ArgumentOutOfRangeException(strideName, stride, $"must be at least max(1, {columns}), the stored row length");
        }
        if (rows > 0 && columns > 0 && length < (long)(rows - 1) * stride + columns)
        {
            throw new ArgumentException(
                $"holds {length} elements but a {rows}×{columns} matrix with row stride {stride} needs {(long)(rows - 1) * stride + columns}",
                spanName);
        }
    }

    private static void ScaleRows(Span<float> c, int m, int n, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }
}
