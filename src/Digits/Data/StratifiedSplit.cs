namespace Digits.Data;

/// <summary>
/// Splits indices into train and validation parts so that each class keeps its share in both (stratified),
/// reproducibly for a seed. Settings are chosen on the validation part; the test set is only ever reported.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>
    /// Returns (train, validation) indices into <paramref name="labels"/>, each sorted ascending so that data
    /// access stays sequential. Each class contributes round(fraction × its count) images to validation.
    /// </summary>
    public static (int[] Train, int[] Validation) Create(ReadOnlySpan<byte> labels, double validationFraction, ulong seed, int classCount = 10)
    {
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be in [0, 1)");
        var byClass = ByClass(labels, classCount);

        var rng = new Rng(seed);
        var train = new List<int>(labels.Length);
        var validation = new List<int>((int)(labels.Length * validationFraction) + classCount);
        foreach (var members in byClass)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(members);
            rng.Shuffle(span);
            int take = (int)Math.Round(members.Count * validationFraction);
            validation.AddRange(span[..take]);
            train.AddRange(span[take..]);
        }
        int[] t = [.. train];
        int[] v = [.. validation];
        Array.Sort(t);
        Array.Sort(v);
        return (t, v);
    }

    /// <summary>
    /// A stratified sample of exactly <paramref name="count"/> indices into <paramref name="labels"/>, sorted ascending,
    /// reproducibly for a seed. Class shares are kept by largest-remainder (Hamilton) allocation: each class gets the
    /// floor of its proportional quota, count × its size / labels.Length, and the few images left over go one each to
    /// the classes with the largest fractional parts (ties to the lower class), so every class is within 1 of its quota.
    /// Rounding each class on its own, as <see cref="Create"/> does for a fraction, can miss the total by a few images.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or more than <c>labels.Length</c>.</exception>
    public static int[] Sample(ReadOnlySpan<byte> labels, int count, ulong seed, int classCount = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > labels.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"must be at most {labels.Length}, the number of images");
        if (count == 0)
            return [];
        var byClass = ByClass(labels, classCount);
        int[] quota = LargestRemainderQuotas(byClass.Select(m => m.Count).ToArray(), count);

        var rng = new Rng(seed);
        var sample = new List<int>(count);
        for (int c = 0; c < classCount; c++)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(byClass[c]);
            rng.Shuffle(span);
            sample.AddRange(span[..quota[c]]);
        }
        int[] result = [.. sample];
        Array.Sort(result);
        return result;
    }

    /// <summary>Splits <paramref name="total"/> into parts proportional to <paramref name="sizes"/> that sum to it exactly.</summary>
    private static int[] LargestRemainderQuotas(int[] sizes, int total)
    {
        long all = sizes.Sum(s => (long)s);
        var quota = new int[sizes.Length];
        var remainder = new long[sizes.Length];
        int given = 0;
        for (int c = 0; c < sizes.Length; c++)
        {
            // Exact integer arithmetic: total × size fits in a long, and the remainders compare without rounding error.
            long scaled = (long)total * sizes[c];
            quota[c] = (int)(scaled / all);
            remainder[c] = scaled % all;
            given += quota[c];
        }
        foreach (int c in Enumerable.Range(0, sizes.Length).OrderByDescending(c => remainder[c]).ThenBy(c => c).Take(total - given))
            quota[c]++;
        return quota;
    }

    private static List<int>[] ByClass(ReadOnlySpan<byte> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++)
            byClass[c] = [];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
                throw new ArgumentException($"label {labels[i]} at index {i} is outside 0..{classCount - 1}", nameof(labels));
            byClass[labels[i]].Add(i);
        }
        return byClass;
    }

    /// <summary>
    /// Stratified k-fold: assigns each index a fold in 0..k-1 so that every fold has each class's share.
    /// </summary>
    public static int[] Folds(ReadOnlySpan<byte> labels, int k, ulong seed, int classCount = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        var fold = new int[labels.Length];
        var byClass = ByClass(labels, classCount);
        var rng = new Rng(seed);
        int offset = 0;
        foreach (var members in byClass)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(members);
            rng.Shuffle(span);
            for (int j = 0; j < span.Length; j++)
                fold[span[j]] = (j + offset) % k;
            offset += span.Length;
        }
        return fold;
    }
}
