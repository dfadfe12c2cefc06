namespace Digits.Classical;

/// <summary>
/// A least-recently-used cache of kernel-matrix rows, bounded in bytes, as libsvm's <c>Cache</c> (Chang and Lin,
/// "LIBSVM: A Library for Support Vector Machines", ACM TIST 2011, section 5.1). SMO touches the same few hundred
/// rows (those of the free support vectors) over and over, so a cache that holds them turns most iterations into
/// pure O(n) gradient updates. Rows are allocated lazily, so a small problem never takes the whole budget, and an
/// evicted row's buffer is handed to the next row inserted.
/// </summary>
/// <remarks>Not thread-safe: each solver owns its cache.</remarks>
public sealed class KernelCache
{
    private const int None = -1;

    private readonly float[]?[] slots;
    private readonly int[] slotOf;
    private readonly int[] indexOf;
    private readonly int[] newer;
    private readonly int[] older;
    private int newest = None;
    private int oldest = None;
    private int used;

    /// <param name="rowCount">How many rows the matrix has (row indices are 0 to rowCount−1).</param>
    /// <param name="rowLength">Floats per row.</param>
    /// <param name="maxBytes">The most bytes of row data to hold; at least two rows (or all, if fewer) are always allowed, as SMO needs two at once.</param>
    public KernelCache(int rowCount, int rowLength, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowLength);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        RowLength = rowLength;
        Capacity = (int)Math.Clamp(maxBytes / (sizeof(float) * (long)rowLength), Math.Min(2, rowCount), rowCount);
        slots = new float[Capacity][];
        indexOf = new int[Capacity];
        newer = new int[Capacity];
        older = new int[Capacity];
        slotOf = new int[rowCount];
        Array.Fill(slotOf, None);
    }

    /// <summary>The most rows held at once.</summary>
    public int Capacity { get; }

    public int RowLength { get; }

    /// <summary>How many rows are held now.</summary>
    public int Count => used;

    /// <summary>Lookups that found their row.</summary>
    public long Hits { get; private set; }

    /// <summary>Lookups that did not.</summary>
    public long Misses { get; private set; }

    /// <summary>Whether row <paramref name="index"/> is held, without counting a lookup or changing its age.</summary>
    public bool Contains(int index) => slotOf[index] != None;

    /// <summary>Finds row <paramref name="index"/> and marks it most recently used.</summary>
    public bool TryGet(int index, out float[] row)
    {
        int slot = slotOf[index];
        if (slot == None)
        {
            Misses++;
            row = null!;
            return false;
        }
        Hits++;
        MoveToNewest(slot);
        row = slots[slot]!;
        return true;
    }

    /// <summary>
    /// A buffer to fill with row <paramref name="index"/>, which becomes the most recently used row. When the cache is
    /// full the least recently used row is evicted and its buffer reused, so a row obtained earlier stays valid only
    /// while fewer than <see cref="Capacity"/> other rows have been inserted since it was last used.
    /// </summary>
    /// <exception cref="InvalidOperationException">The row is already held.</exception>
    public float[] Insert(int index)
    {
        if (slotOf[index] != None)
            throw new InvalidOperationException($"row {index} is already cached");
        int slot;
        if (used < Capacity)
        {
            slot = used++;
            slots[slot] = new float[RowLength];
        }
        else
        {
            slot = oldest;
            Unlink(slot);
            slotOf[indexOf[slot]] = None;
        }
        indexOf[slot] = index;
        slotOf[index] = slot;
        LinkAsNewest(slot);
        return slots[slot]!;
    }

    private void MoveToNewest(int slot)
    {
        if (slot == newest)
            return;
        Unlink(slot);
        LinkAsNewest(slot);
    }

    private void Unlink(int slot)
    {
        int newer = this.newer[slot], older = this.older[slot];
        if (newer != None)
            this.older[newer] = older;
        else
            newest = older;
        if (older != None)
            this.newer[older] = newer;
        else
            oldest = newer;
    }

    private void LinkAsNewest(int slot)
    {
        newer[slot] = None;
        older[slot] = newest;
        if (newest != None)
            newer[newest] = slot;
        newest = slot;
        if (oldest == None)
            oldest = slot;
    }
}
