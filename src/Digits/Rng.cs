namespace Digits;

/// <summary>
/// A small, fast, seedable random number generator: xoshiro256** (Blackman &amp; Vigna, "Scrambled Linear
/// Pseudorandom Number Generators", ACM TOMS 47(4), 2021), seeded through SplitMix64 so that any 64-bit seed,
/// including 0, gives a well-mixed state. The same seed gives the same sequence on every platform, which is
/// what makes <c>--seed</c> reproducible.
/// </summary>
public sealed class Rng
{
    private ulong s0, s1, s2, s3;

    public Rng(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// An independent generator for sub-task <paramref name="stream"/> of a run seeded with
    /// <paramref name="seed"/> (e.g. one per layer or per worker), so adding a consumer does not shift the others.
    /// </summary>
    public static Rng Derive(ulong seed, ulong stream)
    {
        ulong x = seed ^ (stream * 0xD1B54A32D192ED03UL);
        return new Rng(SplitMix64(ref x) ^ stream);
    }

    /// <summary>The next 64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="exclusiveMax"/>) without modulo bias, by Lemire's multiply-and-reject
    /// method ("Fast Random Integer Generation in an Interval", ACM TOMACS 29(1), 2019).
    /// </summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong range = (ulong)exclusiveMax;
        UInt128 product = (UInt128)(NextUInt64() >> 32) * range;
        ulong low = (ulong)product & 0xFFFF_FFFFUL;
        if (low < range)
        {
            ulong threshold = (0x1_0000_0000UL - range) % range;
            while (low < threshold)
            {
                product = (UInt128)(NextUInt64() >> 32) * range;
                low = (ulong)product & 0xFFFF_FFFFUL;
            }
        }
        return (int)(ulong)(product >> 32);
    }

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal sample (mean 0, variance 1) by the Box-Muller transform.</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
