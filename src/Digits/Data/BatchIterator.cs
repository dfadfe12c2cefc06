using System.Numerics.Tensors;

namespace Digits.Data;

/// <summary>
/// Iterates over shuffled mini-batches of a subset of <see cref="LabeledImages"/>, filling the same float buffers
/// each time (pixels / 255, row-major, batch × rows × cols) so that training allocates nothing per sample or batch.
/// The order of an epoch depends only on the seed and the epoch number.
/// </summary>
public sealed class BatchIterator
{
    private readonly LabeledImages _data;
    private readonly int[] _order;
    private readonly ulong _seed;
    private readonly bool _shuffle;
    private int _position;

    public BatchIterator(LabeledImages data, int[]? indices, int batchSize, bool shuffle, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _data = data;
        _order = indices is null ? Enumerable.Range(0, data.Count).ToArray() : (int[])indices.Clone();
        foreach (int i in _order)
        {
            if ((uint)i >= (uint)data.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"index outside 0..{data.Count - 1}");
        }
        _shuffle = shuffle;
        _seed = seed;
        BatchSize = batchSize;
        Inputs = new float[batchSize * data.PixelsPerImage];
        Labels = new int[batchSize];
        StartEpoch(0);
    }

    public int BatchSize { get; }

    /// <summary>The current batch's pixels in [0, 1]; only the first <c>count × pixels</c> values are valid.</summary>
    public float[] Inputs { get; }

    /// <summary>The current batch's labels; only the first <c>count</c> values are valid.</summary>
    public int[] Labels { get; }

    /// <summary>The dataset indices of the current epoch's order (the current batch is at the position before <see cref="Next"/>).</summary>
    public ReadOnlySpan<int> Order => _order;

    public int SampleCount => _order.Length;

    public int BatchesPerEpoch => (_order.Length + BatchSize - 1) / BatchSize;

    /// <summary>Rewinds and, when shuffling, reorders deterministically from (seed, epoch).</summary>
    public void StartEpoch(int epoch)
    {
        if (_shuffle)
        {
            Array.Sort(_order);
            Rng.Derive(_seed, (ulong)epoch).Shuffle(_order.AsSpan());
        }
        _position = 0;
    }

    /// <summary>Fills the buffers with the next batch; false at the end of the epoch. The last batch may be short.</summary>
    public bool Next(out int count)
    {
        count = Math.Min(BatchSize, _order.Length - _position);
        if (count <= 0)
        {
            count = 0;
            return false;
        }
        int p = _data.PixelsPerImage;
        for (int i = 0; i < count; i++)
        {
            int index = _order[_position + i];
            ToUnitFloats(_data.Image(index), Inputs.AsSpan(i * p, p));
            Labels[i] = _data.Labels[index];
        }
        _position += count;
        return true;
    }

    /// <summary>Converts bytes 0..255 to floats 0..1.</summary>
    public static void ToUnitFloats(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        TensorPrimitives.ConvertChecked<byte, float>(pixels, destination);
        TensorPrimitives.Multiply(destination[..pixels.Length], 1f / 255f, destination);
    }
}
