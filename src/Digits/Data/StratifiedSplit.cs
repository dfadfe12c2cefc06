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
        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++)
            byClass[c] = [];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
                throw new ArgumentException($"label {labels[i]} at index {i} is outside 0..{classCount - 1}", nameof(labels));
            byClass[labels[i]].Add(i);
        }

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
    /// Stratified k-fold: assigns each index a fold in 0..k-1 so that every fold has each class's share.
    /// </summary>
    public static int[] Folds(ReadOnlySpan<byte> labels, int k, ulong seed, int classCount = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        var fold = new int[labels.Length];
        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++)
            byClass[c] = [];
        for (int i = 0; i < labels.Length; i++)
            byClass[labels[i]].Add(i);
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
