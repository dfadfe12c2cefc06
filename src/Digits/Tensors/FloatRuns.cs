using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// Copy, clear and add over short runs of floats through raw pointers, for loops such as im2col that move
/// hundreds of thousands of runs of a few dozen floats: there the fixed cost of a span call (slicing, bounds
/// checks, a call into <c>Buffer.Memmove</c> or <c>TensorPrimitives</c>) is larger than the work itself.
/// </summary>
internal static unsafe class FloatRuns
{
    /// <summary>destination[0..count) = source[0..count); the runs must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* source, float* destination, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            for (; i + 16 <= count; i += 16)
            {
                Vector512.Store(Vector512.Load(source + i), destination + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
            {
                Vector256.Store(Vector256.Load(source + i), destination + i);
            }
        }
        for (; i < count; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>destination[0..count) = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear(float* destination, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            for (; i + 16 <= count; i += 16)
            {
                Vector512.Store(Vector512<float>.Zero, destination + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
            {
                Vector256.Store(Vector256<float>.Zero, destination + i);
            }
        }
        for (; i < count; i++)
        {
            destination[i] = 0f;
        }
    }

    /// <summary>destination[0..count) += source[0..count); the runs must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* source, float* destination, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            for (; i + 16 <= count; i += 16)
            {
                Vector512.Store(Vector512.Load(destination + i) + Vector512.Load(source + i), destination + i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
            {
                Vector256.Store(Vector256.Load(destination + i) + Vector256.Load(source + i), destination + i);
            }
        }
        for (; i < count; i++)
        {
            destination[i] += source[i];
        }
    }
}
