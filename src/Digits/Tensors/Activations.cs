using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>Elementwise activation functions over any shape.</summary>
public static class Activations
{
    /// <summary>
    /// From this many floats (4 MB) an activation is split over <see cref="WorkerPool"/>: a layer's worth of a batch
    /// is memory-bound, and one core alone does not draw all the bandwidth there is.
    /// </summary>
    private const int ParallelLength = 1 << 20;

    /// <summary>Parts of a parallel activation; elementwise, so results do not depend on how it is cut.</summary>
    private const int Parts = 8;

    /// <summary>out = max(inp, 0), the rectifier (Nair &amp; Hinton 2010).</summary>
    public static unsafe void ReluForward(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length < ParallelLength || WorkerPool.Threads == 1 || output.Length < input.Length)
        {
            TensorPrimitives.Max(input, 0f, output);
            return;
        }
        fixed (float* pInput = input, pOutput = output)
        {
            WorkerPool.For(Parts, new ReluParts(pInput, null, pOutput, input.Length));
        }
    }

    /// <summary>
    /// dinp = dout where out &gt; 0, else 0 (overwrites dinp). Takes the forward OUTPUT, which is positive exactly
    /// where the input was, so the input buffer need not be kept.
    /// </summary>
    public static unsafe void ReluBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> doutput, Span<float> dinput)
    {
        int length = output.Length;
        if (doutput.Length < length || dinput.Length < length)
        {
            throw new ArgumentException($"output holds {length} floats but doutput holds {doutput.Length} and dinput {dinput.Length}");
        }
        if (length >= ParallelLength && WorkerPool.Threads > 1)
        {
            fixed (float* pOutput = output, pDoutput = doutput, pDinput = dinput)
            {
                WorkerPool.For(Parts, new ReluParts(pOutput, pDoutput, pDinput, length));
            }
            return;
        }
        ReluBackwardSerial(output, doutput, dinput);
    }

    /// <summary>Part i of a forward (gradient null: destination = max(source, 0)) or backward ReLU over floats [0, length).</summary>
    private readonly unsafe struct ReluParts(float* source, float* gradient, float* destination, int length) : IParallelBody
    {
        public void Run(int part)
        {
            int first = (int)((long)length * part / Parts), count = (int)((long)length * (part + 1) / Parts) - first;
            var from = new ReadOnlySpan<float>(source + first, count);
            var to = new Span<float>(destination + first, count);
            if (gradient == null)
            {
                TensorPrimitives.Max(from, 0f, to);
            }
            else
            {
                ReluBackwardSerial(from, new ReadOnlySpan<float>(gradient + first, count), to);
            }
        }
    }

    private static void ReluBackwardSerial(ReadOnlySpan<float> output, ReadOnlySpan<float> doutput, Span<float> dinput)
    {
        int length = output.Length;
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
