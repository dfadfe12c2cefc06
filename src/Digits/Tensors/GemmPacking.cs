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
        for (int first = 0; first < lanes; first += width)
        {
            int count = Math.Min(width, lanes - first);
            float* sliver = source + first * laneStride;
            if (laneStride == 1)
            {
                PackLaneContiguous(sliver, depthStride, count, depth, width, packed);
            }
            else
            {
                PackDepthContiguous(sliver, laneStride, count, depth, width, packed);
            }
            packed += (nint)width * depth;
        }
    }

    /// <summary>Lanes are adjacent in memory (A transposed, or B as stored): each depth step is one row copy.</summary>
    private static void PackLaneContiguous(float* source, nint depthStride, int count, int depth, int width, float* packed)
    {
        for (int p = 0; p < depth; p++, source += depthStride, packed += width)
        {
            int l = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; l + 8 <= count; l += 8)
                {
                    Vector256.Store(Vector256.Load(source + l), packed + l);
                }
            }
            for (; l + 4 <= count; l += 4)
            {
                Vector128.Store(Vector128.Load(source + l), packed + l);
            }
            for (; l < count; l++)
            {
                packed[l] = source[l];
            }
            for (; l < width; l++)
            {
                packed[l] = 0f;
            }
        }
    }

    /// <summary>
    /// Depth steps are adjacent in memory (A as stored, or B transposed): a transpose. Groups of four lanes go
    /// through 4×4 SSE register transposes, about four times faster than element-by-element strided stores.
    /// </summary>
    private static void PackDepthContiguous(float* source, nint laneStride, int count, int depth, int width, float* packed)
    {
        int l = 0;
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
