using System.Runtime.InteropServices;

namespace Digits.Tensors;

/// <summary>
/// Per-thread packing buffers for <see cref="Gemm"/>: 64-byte aligned (one cache line, one zmm load) native
/// memory that grows to the largest block seen and is then reused, so steady-state calls allocate nothing.
/// The memory is freed by the finalizer when the owning thread ends.
/// </summary>
internal sealed unsafe class GemmScratch
{
    private const nuint Alignment = 64;

    [ThreadStatic] private static GemmScratch? current;

    private float* packedA;
    private nuint packedACapacity;
    private float* packedB;
    private nuint packedBCapacity;
    private float* edgeTile;
    private nuint edgeTileCapacity;

    /// <summary>The calling thread's buffers.</summary>
    public static GemmScratch ForCurrentThread => current ??= new GemmScratch();

    /// <summary>Room for a packed A block of <paramref name="floats"/> floats.</summary>
    public float* PackedA(nuint floats) => Ensure(ref packedA, ref packedACapacity, floats);

    /// <summary>Room for a packed B block of <paramref name="floats"/> floats.</summary>
    public float* PackedB(nuint floats) => Ensure(ref packedB, ref packedBCapacity, floats);

    /// <summary>Room for one micro-tile that overhangs the edge of C.</summary>
    public float* EdgeTile(nuint floats) => Ensure(ref edgeTile, ref edgeTileCapacity, floats);

    private static float* Ensure(ref float* buffer, ref nuint capacity, nuint floats)
    {
        if (floats > capacity)
        {
            NativeMemory.AlignedFree(buffer);
            buffer = null;
            capacity = 0;
            buffer = (float*)NativeMemory.AlignedAlloc(floats * sizeof(float), Alignment);
            capacity = floats;
        }
        return buffer;
    }

    ~GemmScratch()
    {
        NativeMemory.AlignedFree(packedA);
        NativeMemory.AlignedFree(packedB);
        NativeMemory.AlignedFree(edgeTile);
    }
}
