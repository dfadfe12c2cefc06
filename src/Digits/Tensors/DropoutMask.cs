using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Digits.Tensors;

/// <summary>
/// Inverted-dropout masks from a counter-based generator (the idea of Salmon et al., "Parallel Random Numbers: As
/// Easy as 1, 2, 3", SC 2011, with SplitMix64's finalizer from Steele, Lea &amp; Flood, OOPSLA 2014, as the
/// mixing function): element i's draw is a pure function of (key, i), so a mask costs one multiply-xorshift
/// hash per two elements, needs no generator state, and is the same however it is computed.
/// </summary>
public static class DropoutMask
{
    /// <summary>
    /// mask[i] = 0 with probability <paramref name="rate"/>, else 1/(1 − rate); <paramref name="key"/> selects
    /// the mask (use a new key per batch).
    /// </summary>
    public static void Fill(Span<float> mask, float rate, ulong key)
    {
        if (!(rate is >= 0f and < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "must be in [0, 1)");
        }
        ulong threshold = (ulong)(rate * 4294967296.0);
        float keep = 1f / (1f - rate);
        int i = Avx512DQ.IsSupported ? FillVector512(mask, (uint)threshold, keep, key) : 0;
        for (ulong counter = (ulong)i / 2; i + 1 < mask.Length; i += 2, counter++)
        {
            ulong bits = Mix(key + counter * 0x9E3779B97F4A7C15UL);
            mask[i] = (bits & 0xFFFF_FFFFUL) < threshold ? 0f : keep;
            mask[i + 1] = (bits >> 32) < threshold ? 0f : keep;
        }
        if (i < mask.Length)
        {
            ulong bits = Mix(key + (ulong)(i / 2) * 0x9E3779B97F4A7C15UL);
            mask[i] = (bits & 0xFFFF_FFFFUL) < threshold ? 0f : keep;
        }
    }

    /// <summary>
    /// The same draws as the scalar loop, eight counters at a time: the eight 64-bit hashes read as sixteen 32-bit
    /// halves are exactly the low, high, low, high... halves that elements 2k and 2k+1 use. Needs AVX-512DQ for
    /// 64-bit multiplies. Returns how many elements it filled (a multiple of 16).
    /// </summary>
    private static int FillVector512(Span<float> mask, uint threshold, float keep, ulong key)
    {
        ref float m = ref MemoryMarshal.GetReference(mask);
        Vector512<ulong> counters = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
        Vector512<ulong> step = Vector512.Create(8UL), golden = Vector512.Create(0x9E3779B97F4A7C15UL), keys = Vector512.Create(key);
        Vector512<uint> limit = Vector512.Create(threshold);
        Vector512<float> kept = Vector512.Create(keep);
        int i = 0;
        for (; i + 16 <= mask.Length; i += 16, counters += step)
        {
            Vector512<uint> bits = Mix(keys + counters * golden).AsUInt32();
            Vector512.ConditionalSelect(Vector512.LessThan(bits, limit).AsSingle(), Vector512<float>.Zero, kept)
                .StoreUnsafe(ref m, (nuint)i);
        }
        return i;
    }

    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
