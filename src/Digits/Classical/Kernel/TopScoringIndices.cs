namespace Digits.Classical;

/// <summary>
/// Keeps the <see cref="Capacity"/> highest-scoring indices offered to it, in a min-heap on score, so that one pass over
/// n candidates costs O(n log k) and allocates nothing. Equal scores rank the lower index higher, which makes the kept
/// set independent of how ties happen to be offered.
/// </summary>
internal sealed class TopScoringIndices
{
    private readonly int[] indices;
    private readonly double[] scores;

    public TopScoringIndices(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        indices = new int[capacity];
        scores = new double[capacity];
    }

    public int Capacity => indices.Length;

    public int Count { get; private set; }

    /// <summary>The kept indices, in heap order (not sorted).</summary>
    public ReadOnlySpan<int> Indices => indices.AsSpan(0, Count);

    public void Clear() => Count = 0;

    public void Offer(int index, double score)
    {
        if (Count < Capacity)
        {
            int position = Count++;
            indices[position] = index;
            scores[position] = score;
            SiftUp(position);
        }
        else if (Capacity > 0 && Ranks(score, index, scores[0], indices[0]))
        {
            indices[0] = index;
            scores[0] = score;
            SiftDown(0);
        }
    }

    /// <summary>Whether (score, index) ranks above (otherScore, otherIndex): a higher score, or the same with a lower index.</summary>
    private static bool Ranks(double score, int index, double otherScore, int otherIndex) =>
        score > otherScore || (score == otherScore && index < otherIndex);

    private bool Below(int a, int b) => Ranks(scores[b], indices[b], scores[a], indices[a]);

    private void SiftUp(int position)
    {
        while (position > 0)
        {
            int parent = (position - 1) / 2;
            if (!Below(position, parent))
                return;
            Swap(position, parent);
            position = parent;
        }
    }

    private void SiftDown(int position)
    {
        while (true)
        {
            int lowest = position, left = 2 * position + 1, right = left + 1;
            if (left < Count && Below(left, lowest))
                lowest = left;
            if (right < Count && Below(right, lowest))
                lowest = right;
            if (lowest == position)
                return;
            Swap(position, lowest);
            position = lowest;
        }
    }

    private void Swap(int a, int b)
    {
        (indices[a], indices[b]) = (indices[b], indices[a]);
        (scores[a], scores[b]) = (scores[b], scores[a]);
    }
}
