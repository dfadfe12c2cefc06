using Digits.Classical;

namespace Digits.Tests.Classical;

public class KernelSvmOptionsTests
{
    public static TheoryData<KernelSvmOptions, string, string> BadOptions => new()
    {
        { new KernelSvmOptions { C = 0 }, "C", "0" },
        { new KernelSvmOptions { C = double.PositiveInfinity }, "C", "Infinity" },
        { new KernelSvmOptions { Gamma = -0.5 }, "Gamma", "-0.5" },
        { new KernelSvmOptions { Degree = 0 }, "Degree", "0" },
        { new KernelSvmOptions { Coef0 = double.NaN }, "Coef0", "NaN" },
        { new KernelSvmOptions { CacheBytes = -1 }, "CacheBytes", "-1" },
        { new KernelSvmOptions { Tolerance = 0 }, "Tolerance", "0" },
        { new KernelSvmOptions { Threads = 0 }, "Threads", "0" },
        { new KernelSvmOptions { BlockRows = 0 }, "BlockRows", "0" },
        { new KernelSvmOptions { ProbabilityFolds = 1 }, "ProbabilityFolds", "1" },
        { new KernelSvmOptions { Kernel = (SvmKernelType)7 }, "Kernel", "7" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_refused_with_the_option_name_and_value(KernelSvmOptions options, string name, string value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new KernelSvmTrainer(options));

        Assert.Equal(name, error.ParamName);
        Assert.Contains(name, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void Defaults_are_the_documented_mnist_settings()
    {
        var options = new KernelSvmOptions();

        Assert.Equal(10.0, options.C);
        Assert.Equal(0.025, options.Gamma);
        Assert.Equal(SvmKernelType.Rbf, options.Kernel);
        Assert.Equal(1L << 30, options.CacheBytes);
        Assert.Equal(1e-3, options.Tolerance);
        Assert.True(options.Shrinking);
        Assert.False(options.Deskew);
        Assert.IsType<RbfKernel>(options.CreateKernel());
        Assert.IsType<PolynomialKernel>((options with { Kernel = SvmKernelType.Polynomial }).CreateKernel());
    }

    [Fact]
    public void Training_data_missing_a_class_is_refused_naming_the_class()
    {
        var data = new Digits.Data.LabeledImages(new byte[3 * 784], [0, 1, 1], 28, 28, classCount: 3);

        var error = Assert.Throws<DigitsException>(() => new KernelSvmTrainer(new KernelSvmOptions()).Fit(data));

        Assert.Contains("class 2", error.Problem);
    }
}
