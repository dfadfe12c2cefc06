using System.Numerics.Tensors;

namespace Digits.Tensors;

/// <summary>Row-wise softmax, numerically stable: the row maximum is subtracted before exponentiating.</summary>
public static class Softmax
{
    /// <summary>inp is (rows, columns), out is (rows, columns); each output row sums to 1. out may alias inp.</summary>
    public static void Rows(ReadOnlySpan<float> input, Span<float> output, int rows, int columns)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> inp = input.Slice(r * columns, columns);
            Span<float> outp = output.Slice(r * columns, columns);
            float max = TensorPrimitives.Max(inp);
            TensorPrimitives.Subtract(inp, max, outp);
            TensorPrimitives.Exp(outp, outp);
            TensorPrimitives.Divide(outp, TensorPrimitives.Sum(outp), outp);
        }
    }
}
