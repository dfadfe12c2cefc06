using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>Elementwise activation functions over any shape.</summary>
public static class Activations
{
    /// <summary>out = max(inp, 0), the rectifier (Nair &amp; Hinton 2010).</summary>
    public static void ReluForward(ReadOnlySpan<float> input, Span<float> output) =>
        TensorPrimitives.Max(input, 0f, output);

    /// <summary>
    /// dinp = dout where out &gt; 0, else 0 (overwrites dinp). Takes the forward OUTPUT, which is positive exactly
    /// where the input was, so the input buffer need not be kept.
    /// </summary>
    public static void ReluBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> doutput, Span<float> dinput)
    {
        int length = output.Length;
        if (doutput.Length < length || dinput.Length < length)
        {
            throw new ArgumentException($"output holds {length} floats but doutput holds {doutput.Length} and dinput {dinput.Length}");
        }
        ref float o = ref MemoryMarshal.GetReference(output);
        ref float d = ref MemoryMarshal.GetReference(doutput);
        ref float r = ref MemoryMarshal.GetReference(dinput);
        int i = 0;
        if (Avx512F.IsSupported)
        {
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> positive = Vector512.GreaterThan(Vector512.LoadUnsafe(ref o, (nuint)i), Vector512<float>.Zero);
                (positive & Vector512.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> positive = Vector256.GreaterThan(Vector256.LoadUnsafe(ref o, (nuint)i), Vector256<float>.Zero);
                (positive & Vector256.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref r, i) = Unsafe.Add(ref o, i) > 0f ? Unsafe.Add(ref d, i) : 0f;
        }
    }
}
