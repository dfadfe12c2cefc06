namespace Digits.Classical;

/// <summary>Which kernel a <see cref="KernelSvm"/> uses.</summary>
public enum SvmKernelType
{
    /// <summary>exp(−γ‖x − y‖²): see <see cref="RbfKernel"/>.</summary>
    Rbf,

    /// <summary>(γ x·y + coef0)^degree: see <see cref="PolynomialKernel"/>.</summary>
    Polynomial,
}
