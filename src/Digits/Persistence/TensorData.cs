using System.Runtime.InteropServices;

namespace Digits.Persistence;

/// <summary>
/// One named tensor of a safetensors file: its dtype, its shape and its raw little-endian bytes.
/// The bytes are kept exactly as stored, so floats written and read back are bit-identical
/// (NaN payloads and negative zeros included). The typed views reinterpret the bytes in place,
/// which is correct on little-endian machines: every platform .NET 10 runs Digits on.
/// </summary>
public sealed class TensorData
{
    private readonly ReadOnlyMemory<byte> bytes;
    private readonly int[] shape;

    /// <summary>Wraps raw bytes; the caller hands over <paramref name="bytes"/> and must not change it afterwards.</summary>
    /// <exception cref="ArgumentException">The name is empty or reserved, a dimension is negative, or the byte count does not match the shape.</exception>
    public TensorData(string name, TensorDType dtype, ReadOnlySpan<int> shape, byte[] bytes)
        : this(name, dtype, shape, (ReadOnlyMemory<byte>)(bytes ?? throw new ArgumentNullException(nameof(bytes))))
    {
    }

    /// <summary>
    /// Wraps a slice of a larger buffer, such as a whole model file, without copying it: loading a file then costs
    /// its size once, not twice. The buffer must not change while the tensor is in use.
    /// </summary>
    internal TensorData(string name, TensorDType dtype, ReadOnlySpan<int> shape, ReadOnlyMemory<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == SafeTensors.MetadataKey)
            throw new ArgumentException($"'{SafeTensors.MetadataKey}' is reserved for metadata", nameof(name));
        long count = ElementCountOf(shape)
            ?? throw new ArgumentException($"shape {FormatShape(shape)} has a negative dimension", nameof(shape));
        long needed = count * dtype.ElementSize();
        if (needed != bytes.Length)
        {
            throw new ArgumentException(
                $"tensor '{name}': shape {FormatShape(shape)} of {dtype.HeaderName()} needs {needed} bytes, got {bytes.Length}",
                nameof(bytes));
        }
        Name = name;
        DType = dtype;
        this.shape = shape.ToArray();
        this.bytes = bytes;
    }

    /// <summary>The tensor's key in the file, e.g. <c>conv1.weight</c>.</summary>
    public string Name { get; }

    public TensorDType DType { get; }

    /// <summary>Dimensions, outermost first (row-major), e.g. <c>[32, 1, 3, 3]</c> for a conv weight; empty for a scalar.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>Number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => bytes.Length / DType.ElementSize();

    /// <summary>The raw little-endian bytes, row-major.</summary>
    public ReadOnlySpan<byte> Bytes => bytes.Span;

    public static TensorData FromFloats(string name, ReadOnlySpan<float> values, params ReadOnlySpan<int> shape) =>
        new(name, TensorDType.F32, shape, MemoryMarshal.AsBytes(values).ToArray());

    public static TensorData FromDoubles(string name, ReadOnlySpan<double> values, params ReadOnlySpan<int> shape) =>
        new(name, TensorDType.F64, shape, MemoryMarshal.AsBytes(values).ToArray());

    public static TensorData FromInt32s(string name, ReadOnlySpan<int> values, params ReadOnlySpan<int> shape) =>
        new(name, TensorDType.I32, shape, MemoryMarshal.AsBytes(values).ToArray());

    public static TensorData FromInt64s(string name, ReadOnlySpan<long> values, params ReadOnlySpan<int> shape) =>
        new(name, TensorDType.I64, shape, MemoryMarshal.AsBytes(values).ToArray());

    public static TensorData FromBytes(string name, ReadOnlySpan<byte> values, params ReadOnlySpan<int> shape) =>
        new(name, TensorDType.U8, shape, values.ToArray());

    /// <summary>The elements as floats, without copying.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not <see cref="TensorDType.F32"/>.</exception>
    public ReadOnlySpan<float> AsFloats() => MemoryMarshal.Cast<byte, float>(BytesOf(TensorDType.F32));

    public ReadOnlySpan<double> AsDoubles() => MemoryMarshal.Cast<byte, double>(BytesOf(TensorDType.F64));

    public ReadOnlySpan<int> AsInt32s() => MemoryMarshal.Cast<byte, int>(BytesOf(TensorDType.I32));

    public ReadOnlySpan<long> AsInt64s() => MemoryMarshal.Cast<byte, long>(BytesOf(TensorDType.I64));

    /// <summary>Whether the shape equals <paramref name="shape"/> dimension by dimension.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(this.shape);

    /// <summary>A shape as the safetensors header writes it, e.g. <c>[32,1,3,3]</c>.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape) => "[" + string.Join(",", shape.ToArray()) + "]";

    public override string ToString() => $"{Name} {DType.HeaderName()} {FormatShape(shape)}";

    /// <summary>The product of the dimensions, or null when one is negative.</summary>
    internal static long? ElementCountOf(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                return null;
            count = checked(count * d);
        }
        return count;
    }

    private ReadOnlySpan<byte> BytesOf(TensorDType expected) =>
        DType == expected
            ? bytes.Span
            : throw new InvalidOperationException($"tensor '{Name}' is {DType.HeaderName()}, not {expected.HeaderName()}");
}
