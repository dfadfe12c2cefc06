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

    private readonly float[]?[] _slots;
    private readonly int[] _slotOf;
    private readonly int[] _indexOf;
    private readonly int[] _newer;
    private readonly int[] _older;
    private int _newest = None;
    private int _oldest = None;
    private int _used;

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
        _slots = new float[Capacity][];
        _indexOf = new int[Capacity];
        _newer = new int[Capacity];
        _older = new int[Capacity];
        _slotOf = new int[rowCount];
        Array.Fill(_slotOf, None);
    }

    /// <summary>The most rows held at once.</summary>
    public int Capacity { get; }

    public int RowLength { get; }

    /// <summary>How many rows are held now.</summary>
    public int Count => _used;

    /// <summary>Lookups that found their row.</summary>
    public long Hits { get; private set; }

    /// <summary>Lookups that did not.</summary>
    public long Misses { get; private set; }

    /// <summary>Whether row <paramref name="index"/> is held, without counting a lookup or changing its age.</summary>
    public bool Contains(int index) => _slotOf[index] != None;

    /// <summary>Finds row <paramref name="index"/> and marks it most recently used.</summary>
    public bool TryGet(int index, out float[] row)
    {
        int slot = _slotOf[index];
        if (slot == None)
        {
            Misses++;
            row = null!;
            return false;
        }
        Hits++;
        MoveToNewest(slot);
        row = _slots[slot]!;
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
        if (_slotOf[index] != None)
            throw new InvalidOperationException($"row {index} is already cached");
        int slot;
        if (_used < Capacity)
        {
            slot = _used++;
            _slots[slot] = new float[RowLength];
        }
        else
        {
            slot = _oldest;
            Unlink(slot);
            _slotOf[_indexOf[slot]] = None;
        }
        _indexOf[slot] = index;
        _slotOf[index] = slot;
        LinkAsNewest(slot);
        return _slots[slot]!;
    }

    private void MoveToNewest(int slot)
    {
        if (slot == _newest)
            return;
        Unlink(slot);
        LinkAsNewest(slot);
    }

    private void Unlink(int slot)
    {
        int newer = _newer[slot], older = _older[slot];
        if (newer != None) _older[newer] = older; else _newest = older;
        if (older != None) _newer[older] = newer; else _oldest = newer;
    }

    private void LinkAsNewest(int slot)
    {
        _newer[slot] = None;
        _older[slot] = _newest;
        if (_newest != None) _newer[_newest] = slot;
        _newest = slot;
        if (_oldest == None) _oldest = slot;
    }
}
