using System.Numerics.Tensors;

namespace Digits.Tensors;

/// <summary>Per-channel bias over channel-major planes, as in a convolution's (C, H·W) output.</summary>
public static class ChannelBias
{
    /// <summary>out is (C, plane), bias is (C): out[c, :] += bias[c].</summary>
    public static void Add(Span<float> output, ReadOnlySpan<float> bias, int plane)
    {
        for (int c = 0; c < bias.Length; c++)
        {
            Span<float> row = output.Slice(c * plane, plane);
            TensorPrimitives.Add(row, bias[c], row);
        }
    }

    /// <summary>dout is (C, plane), dbias is (C): dbias[c] += sum(dout[c, :]).</summary>
    public static void AccumulateGradient(Span<float> dbias, ReadOnlySpan<float> doutput, int plane)
    {
        for (int c = 0; c < dbias.Length; c++)
        {
            dbias[c] += TensorPrimitives.Sum(doutput.Slice(c * plane, plane));
        }
    }
}
