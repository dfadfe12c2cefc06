namespace Digits;

/// <summary>
/// A small, fast, seedable random generator (xoshiro256**, Blackman and Vigna 2018, seeded through SplitMix64).
/// We use our own rather than <see cref="Random"/> so that a seed gives the same stream on every .NET version and
/// platform: reproducible splits, shuffles, initial weights and augmentations depend on it.
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

    /// <summary>A generator for a sub-stream, e.g. one per epoch or per worker, independent of how much the parent drew.</summary>
    public static Rng Derive(ulong seed, ulong stream) => new(seed ^ (0x9E3779B97F4A7C15UL * (stream + 1)));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

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

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire 2019).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong range = (ulong)maxExclusive;
        UInt128 product = (UInt128)NextUInt64() * range;
        ulong low = (ulong)product;
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * range;
                low = (ulong)product;
            }
        }
        return (int)(product >> 64);
    }

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal sample (Box-Muller).</summary>
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
}
