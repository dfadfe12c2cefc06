namespace Digits.Persistence;

/// <summary>
/// The element types a Digits model file may hold, named as in the safetensors header
/// (<c>"dtype": "F32"</c>). Other safetensors dtypes (F16, BF16, I8, ...) are valid safetensors
/// but are refused on read, because no Digits model stores them.
/// </summary>
public enum TensorDType
{
    /// <summary>IEEE-754 binary32, 4 bytes: weights, biases, batch-norm statistics.</summary>
    F32,
    /// <summary>IEEE-754 binary64, 8 bytes.</summary>
    F64,
    /// <summary>Signed 32-bit integer, 4 bytes: counts and indices.</summary>
    I32,
    /// <summary>Signed 64-bit integer, 8 bytes.</summary>
    I64,
    /// <summary>Unsigned byte: raw 28×28 images, such as support vectors kept as pixels.</summary>
    U8,
}

/// <summary>Element sizes and header names of <see cref="TensorDType"/>.</summary>
public static class TensorDTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this TensorDType dtype) => dtype switch
    {
        TensorDType.F32 or TensorDType.I32 => 4,
        TensorDType.F64 or TensorDType.I64 => 8,
        TensorDType.U8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a Digits tensor dtype"),
    };

    /// <summary>The dtype string of the safetensors header, e.g. <c>F32</c>.</summary>
    public static string HeaderName(this TensorDType dtype) => dtype switch
    {
        TensorDType.F32 => "F32",
        TensorDType.F64 => "F64",
        TensorDType.I32 => "I32",
        TensorDType.I64 => "I64",
        TensorDType.U8 => "U8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a Digits tensor dtype"),
    };

    /// <summary>Parses a header dtype string; the match is exact, as in the reference implementation.</summary>
    public static bool TryParseHeaderName(string name, out TensorDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = TensorDType.F32; return true;
            case "F64": dtype = TensorDType.F64; return true;
            case "I32": dtype = TensorDType.I32; return true;
            case "I64": dtype = TensorDType.I64; return true;
            case "U8": dtype = TensorDType.U8; return true;
            default: dtype = default; return false;
        }
    }
}
