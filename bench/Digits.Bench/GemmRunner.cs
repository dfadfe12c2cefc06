using Digits.Tensors;

namespace Digits.Bench;

/// <summary>Owns the operands of one <see cref="GemmShape"/> and multiplies them on a chosen path.</summary>
internal sealed class GemmRunner(GemmShape shape, GemmPath path)
{
    private readonly float[] a = Filled(shape.M * shape.K, 1);
    private readonly float[] b = Filled(shape.K * shape.N, 2);
    private readonly float[] c = new float[shape.M * shape.N];

    public void Multiply() => Gemm.Multiply(path, shape.TransA, shape.TransB, shape.M, shape.N, shape.K, 1f,
        a, shape.TransA ? shape.M : shape.K, b, shape.TransB ? shape.K : shape.N, 0f, c, shape.N);

    private static float[] Filled(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble() - 0.5f;
        }
        return values;
    }
}
