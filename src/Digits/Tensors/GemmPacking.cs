using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// Copies a block of an operand into the layout the micro-kernels read: slivers of <c>width</c> lanes (rows of
/// op(A) or columns of op(B)), each stored depth step by depth step, zero-padded past the last lane. The kernel
/// then reads both operands with unit stride, from aligned memory that stays in cache, whatever the caller's
/// strides and transposes were (Goto &amp; van de Geijn 2008, section 6).
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs lanes [0, lanes) over depth steps [0, depth): element (lane l, step p) is read at
    /// <c>source[l * laneStride + p * depthStride]</c> and written to
    /// <c>packed[(l / width) * width * depth + p * width + l % width]</c>. One of the strides must be 1.
    /// </summary>
    public static void Pack(float* source, nint laneStride, nint depthStride, int lanes, int depth, int width, float* packed)
    {
        Debug.Assert(laneStride == 1 || depthStride == 1, "an operand is contiguous along lanes or along depth");
        if (laneStride == 1)
        {
            PackLaneContiguous(source, depthStride, lanes, depth, width, packed);
            return;
        }
        for (int first = 0; first < lanes; first += width, packed += (nint)width * depth)
        {
            PackDepthContiguous(source + first * laneStride, laneStride, Math.Min(width, lanes - first), depth, width, packed);
        }
    }

    /// <summary>
    /// Lanes are adjacent in memory (A transposed, or B as stored). Each source row is read once, front to back,
    /// and dealt out to every sliver, so memory is streamed sequentially rather than in sliver-wide strips.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackLaneContiguous(float* source, nint depthStride, int lanes, int depth, int width, float* packed)
    {
        nint sliverSize = (nint)width * depth;
        for (int p = 0; p < depth; p++, source += depthStride)
        {
            float* destination = packed + (nint)p * width;
            for (int first = 0; first < lanes; first += width, destination += sliverSize)
            {
                CopyRow(source + first, Math.Min(width, lanes - first), width, destination);
            }
        }
    }

    private static void CopyRow(float* source, int count, int width, float* destination)
    {
        int l = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; l + 16 <= count; l += 16)
            {
                Vector512.Store(Vector512.Load(source + l), destination + l);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; l + 8 <= count; l += 8)
            {
                Vector256.Store(Vector256.Load(source + l), destination + l);
            }
        }
        for (; l + 4 <= count; l += 4)
        {
            Vector128.Store(Vector128.Load(source + l), destination + l);
        }
        for (; l < count; l++)
        {
            destination[l] = source[l];
        }
        for (; l < width; l++)
        {
            destination[l] = 0f;
        }
    }

    /// <summary>
    /// Depth steps are adjacent in memory (A as stored, or B transposed): a transpose. Groups of four lanes go
    /// through 8×8 AVX or 4×4 SSE register transposes, several times faster than element-by-element strided stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackDepthContiguous(float* source, nint laneStride, int count, int depth, int width, float* packed)
    {
        int l = 0;
        if (Avx.IsSupported)
        {
            for (; l + 8 <= count; l += 8)
            {
                TransposeEightLanes(source + l * laneStride, laneStride, depth, width, packed + l);
            }
        }
        if (Sse.IsSupported)
        {
            for (; l + 4 <= count; l += 4)
            {
                TransposeFourLanes(source + l * laneStride, laneStride, depth, width, packed + l);
            }
        }
        for (; l < count; l++)
        {
            float* lane = source + l * laneStride;
            for (int p = 0; p < depth; p++)
            {
                packed[(nint)p * width + l] = lane[p];
            }
        }
        for (; l < width; l++)
        {
            for (int p = 0; p < depth; p++)
            {
                packed[(nint)p * width + l] = 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void TransposeEightLanes(float* source, nint laneStride, int depth, int width, float* packed)
    {
        int p = 0;
        for (; p + 8 <= depth; p += 8)
        {
            float* s = source + p;
            Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + laneStride);
            Vector256<float> r2 = Avx.LoadVector256(s + 2 * laneStride), r3 = Avx.LoadVector256(s + 3 * laneStride);
            Vector256<float> r4 = Avx.LoadVector256(s + 4 * laneStride), r5 = Avx.LoadVector256(s + 5 * laneStride);
            Vector256<float> r6 = Avx.LoadVector256(s + 6 * laneStride), r7 = Avx.LoadVector256(s + 7 * laneStride);
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
            Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
            Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
            Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
            float* d = packed + (nint)p * width;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + width, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * width, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * width, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * width, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * width, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * width, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + 7 * width, Avx.Permute2x128(u3, u7, 0x31));
        }
        for (; p < depth; p++)
        {
            float* d = packed + (nint)p * width;
            for (int lane = 0; lane < 8; lane++)
            {
                d[lane] = source[lane * laneStride + p];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    private static void TransposeFourLanes(float* source, nint laneStride, int depth, int width, float* packed)
    {
        float* s0 = source, s1 = source + laneStride, s2 = source + 2 * laneStride, s3 = source + 3 * laneStride;
        int p = 0;
        for (; p + 4 <= depth; p += 4)
        {
            Vector128<float> r0 = Sse.LoadVector128(s0 + p);
            Vector128<float> r1 = Sse.LoadVector128(s1 + p);
            Vector128<float> r2 = Sse.LoadVector128(s2 + p);
            Vector128<float> r3 = Sse.LoadVector128(s3 + p);
            Vector128<float> low01 = Sse.UnpackLow(r0, r1);
            Vector128<float> low23 = Sse.UnpackLow(r2, r3);
            Vector128<float> high01 = Sse.UnpackHigh(r0, r1);
            Vector128<float> high23 = Sse.UnpackHigh(r2, r3);
            float* d = packed + (nint)p * width;
            Sse.Store(d, Sse.MoveLowToHigh(low01, low23));
            Sse.Store(d + width, Sse.MoveHighToLow(low23, low01));
            Sse.Store(d + 2 * width, Sse.MoveLowToHigh(high01, high23));
            Sse.Store(d + 3 * width, Sse.MoveHighToLow(high23, high01));
        }
        for (; p < depth; p++)
        {
            float* d = packed + (nint)p * width;
            d[0] = s0[p];
            d[1] = s1[p];
            d[2] = s2[p];
            d[3] = s3[p];
        }
    }
}
