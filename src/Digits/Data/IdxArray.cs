namespace Digits.Data;

/// <summary>
/// An unsigned-byte IDX array (LeCun's MNIST file format): a shape and the values in row-major order.
/// Images stay as bytes; batches convert them to floats later into reused buffers.
/// </summary>
public sealed class IdxArray
{
    public IdxArray(int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }
        if (count != data.LongLength)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {count} values, data has {data.LongLength}", nameof(data));
        Shape = shape;
        Data = data;
    }

    /// <summary>Sizes of each dimension, outermost first: [count, rows, cols] for images, [count] for labels.</summary>
    public int[] Shape { get; }

    public byte[] Data { get; }

    public int Rank => Shape.Length;
}
