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
        int i = 0;
        for (ulong counter = 0; i + 1 < mask.Length; i += 2, counter++)
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

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
