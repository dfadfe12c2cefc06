using System.Globalization;
using System.Numerics.Tensors;

namespace Digits.Classical;

/// <summary>
/// The Gaussian (RBF) kernel k(x, y) = exp(−γ‖x − y‖²), with ‖x − y‖² = ‖x‖² + ‖y‖² − 2x·y. Rounding can make that
/// difference slightly negative for near-identical points; it is clamped to 0 so that k never exceeds 1.
/// </summary>
public sealed class RbfKernel : SvmKernel
{
    /// <param name="gamma">Inverse squared length scale, in 1/(feature units)²; features are pixels/255.</param>
    public RbfKernel(double gamma)
    {
        if (!(gamma > 0) || double.IsInfinity(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "must be positive and finite");
        Gamma = gamma;
    }

    public double Gamma { get; }

    public override string Name => "rbf";

    protected override void FromDotProducts(Span<float> dots, float rowNorm, ReadOnlySpan<float> columnNorms)
    {
        TensorPrimitives.MultiplyAdd(dots, -2f, columnNorms, dots);
        TensorPrimitives.Add(dots, rowNorm, dots);
        TensorPrimitives.Max(dots, 0f, dots);
        TensorPrimitives.Multiply(dots, (float)-Gamma, dots);
        TensorPrimitives.Exp(dots, dots);
    }

    public override double SelfValue(float squaredNorm) => 1.0;

    public override double Naive(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double distance = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)x[i] - y[i];
            distance += d * d;
        }
        return Math.Exp(-Gamma * distance);
    }

    public override string ParametersJson() =>
        string.Create(CultureInfo.InvariantCulture, $"\"kernel\": \"rbf\", \"gamma\": {Gamma:R}");
}
