using System.Globalization;
using System.Numerics.Tensors;

namespace Digits.Classical;

/// <summary>
/// The polynomial kernel k(x, y) = (γ x·y + coef0)^degree. The power is taken by repeated multiplication, which is
/// exact for the integer degrees used here and, unlike exp(d·log b), defined for negative bases.
/// </summary>
public sealed class PolynomialKernel : SvmKernel
{
    /// <param name="gamma">Scale of the dot product, in 1/(feature units)².</param>
    /// <param name="coef0">Constant added before the power; 0 gives a homogeneous kernel.</param>
    /// <param name="degree">The power, 1 to 10.</param>
    public PolynomialKernel(double gamma, double coef0, int degree)
    {
        if (!(gamma > 0) || double.IsInfinity(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "must be positive and finite");
        if (!double.IsFinite(coef0))
            throw new ArgumentOutOfRangeException(nameof(coef0), coef0, "must be finite");
        if (degree is < 1 or > 10)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "must be 1 to 10");
        Gamma = gamma;
        Coef0 = coef0;
        Degree = degree;
    }

    public double Gamma { get; }

    public double Coef0 { get; }

    public int Degree { get; }

    public override string Name => "poly";

    protected override void FromDotProducts(Span<float> dots, float rowNorm, ReadOnlySpan<float> columnNorms)
    {
        TensorPrimitives.Multiply(dots, (float)Gamma, dots);
        TensorPrimitives.Add(dots, (float)Coef0, dots);
        if (Degree == 1)
            return;
        for (int i = 0; i < dots.Length; i++)
            dots[i] = Power(dots[i], Degree);
    }

    public override double SelfValue(float squaredNorm) => Math.Pow(Gamma * squaredNorm + Coef0, Degree);

    public override double Naive(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double dot = 0;
        for (int i = 0; i < x.Length; i++)
            dot += (double)x[i] * y[i];
        return Math.Pow(Gamma * dot + Coef0, Degree);
    }

    public override string ParametersJson() => string.Create(CultureInfo.InvariantCulture,
        $"\"kernel\": \"poly\", \"gamma\": {Gamma:R}, \"coef0\": {Coef0:R}, \"degree\": {Degree}");

    private static float Power(float value, int degree)
    {
        float result = 1f;
        float factor = value;
        for (int d = degree; d > 0; d >>= 1)
        {
            if ((d & 1) != 0)
                result *= factor;
            factor *= factor;
        }
        return result;
    }
}
