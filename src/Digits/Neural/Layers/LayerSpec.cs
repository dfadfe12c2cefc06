using System.Text.Json.Serialization;

namespace Digits.Neural;

/// <summary>
/// One entry of a network architecture, as stored in a model file: plain data, serialized as
/// <c>{"type": "...", ...}</c> by <see cref="Architecture"/>. A network is a list of these read top to bottom,
/// like Keras' <c>Sequential</c>; each layer's input shape is the previous layer's output shape.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Conv2dSpec), "conv2d")]
[JsonDerivedType(typeof(MaxPool2dSpec), "maxpool2d")]
[JsonDerivedType(typeof(AvgPool2dSpec), "avgpool2d")]
[JsonDerivedType(typeof(GlobalAvgPoolSpec), "globalavgpool")]
[JsonDerivedType(typeof(LinearSpec), "linear")]
[JsonDerivedType(typeof(ReluSpec), "relu")]
[JsonDerivedType(typeof(BatchNormSpec), "batchnorm")]
[JsonDerivedType(typeof(DropoutSpec), "dropout")]
[JsonDerivedType(typeof(FlattenSpec), "flatten")]
public abstract record LayerSpec
{
    /// <summary>Builds the layer for <paramref name="input"/>, or throws <see cref="DigitsException"/> naming <paramref name="subject"/>.</summary>
    internal abstract Layer Create(SampleShape input, string subject);

    private protected static void Require(bool condition, string subject, string problem)
    {
        if (!condition)
        {
            throw new DigitsException(subject, problem);
        }
    }

    private protected static void RequireImage(SampleShape input, string subject) =>
        Require(input.Rank == 3, subject, $"needs an image input (C, H, W), got {input}");

    /// <summary>
    /// Checks a window's settings and returns its output height and width. Sizes are computed in 64 bits, so that
    /// a hostile architecture (a padding of two billion) is refused here instead of overflowing in the layer.
    /// </summary>
    private protected static (long Height, long Width) RequireWindow(SampleShape input, int kernel, int stride, int padding, string subject)
    {
        RequireImage(input, subject);
        Require(kernel >= 1, subject, $"kernel must be at least 1, got {kernel}");
        Require(stride >= 1, subject, $"stride must be at least 1, got {stride}");
        Require(padding >= 0 && padding < kernel, subject, $"padding must be in [0, kernel), got {padding}");
        long height = input.Height + 2L * padding, width = input.Width + 2L * padding;
        Require(height >= kernel && width >= kernel, subject, $"kernel {kernel} with padding {padding} does not fit the input {input}");
        Require(height <= int.MaxValue && width <= int.MaxValue, subject, $"padding {padding} makes the input {input} too large");
        return ((height - kernel) / stride + 1, (width - kernel) / stride + 1);
    }

    /// <summary>Refuses a tensor of <paramref name="count"/> floats that no .NET array can hold.</summary>
    private protected static void RequireArray(long count, string subject, string what) =>
        Require(count <= Array.MaxLength, subject, $"{what} would hold {count} values, more than one array can");
}

/// <summary>2-D convolution: <paramref name="Out"/> channels, a <paramref name="Kernel"/>×<paramref name="Kernel"/>
/// window, moved by <paramref name="Stride"/> pixels over an input zero-padded by <paramref name="Padding"/> pixels on each side.</summary>
public sealed record Conv2dSpec(int Out, int Kernel, int Stride = 1, int Padding = 0) : LayerSpec
{
    internal override Layer Create(SampleShape input, string subject)
    {
        Require(Out >= 1, subject, $"out must be at least 1, got {Out}");
        var (height, width) = RequireWindow(input, Kernel, Stride, Padding, subject);
        RequireArray((long)Out * input.Channels * Kernel * Kernel, subject, "the weight");
        RequireArray(Out * height * width, subject, "the output");
        return new Conv2d(input, Out, Kernel, Stride, Padding);
    }
}

/// <summary>Max pooling over a <paramref name="Kernel"/>×<paramref name="Kernel"/> window; <paramref name="Stride"/> defaults to the kernel.</summary>
public sealed record MaxPool2dSpec(int Kernel, int? Stride = null) : LayerSpec
{
    internal override Layer Create(SampleShape input, string subject)
    {
        RequireWindow(input, Kernel, Stride ?? Kernel, 0, subject);
        return new MaxPool2d(input, Kernel, Stride ?? Kernel);
    }
}

/// <summary>Average pooling over a <paramref name="Kernel"/>×<paramref name="Kernel"/> window; <paramref name="Stride"/> defaults to the kernel.</summary>
public sealed record AvgPool2dSpec(int Kernel, int? Stride = null) : LayerSpec
{
    internal override Layer Create(SampleShape input, string subject)
    {
        RequireWindow(input, Kernel, Stride ?? Kernel, 0, subject);
        return new AvgPool2d(input, Kernel, Stride ?? Kernel);
    }
}

/// <summary>Mean over each channel's plane: (C, H, W) → (C).</summary>
public sealed record GlobalAvgPoolSpec : LayerSpec
{
    internal override Layer Create(SampleShape input, string subject)
    {
        RequireImage(input, subject);
        return new GlobalAvgPool(input);
    }
}

/// <summary>Fully connected layer with <paramref name="Out"/> outputs; the input must be flat (use Flatten first).</summary>
public sealed record LinearSpec(int Out) : LayerSpec
{
    internal override Layer Create(SampleShape input, string subject)
    {
        Require(Out >= 1, subject, $"out must be at least 1, got {Out}");
        Require(input.Rank == 1, subject, $"needs a flat input, got {input}; add a flatten layer before it");
        RequireArray((long)Out * input.Size, subject, "the weight");
        return new Linear(input, Out);
    }
}

/// <summary>Elementwise max(x, 0).</summary>
public sealed record ReluSpec : LayerSpec
{
    internal override Layer Create(SampleShape input, string subject) => new Relu(input);
}

/// <summary>Batch normalization over channels (2d for images, 1d for flat inputs), momentum 0.1, eps 1e-5.</summary>
public sealed record BatchNormSpec : LayerSpec
{
    internal override Layer Create(SampleShape input, string subject) => new BatchNorm(input);
}

/// <summary>Inverted dropout that zeroes each value with probability <paramref name="Rate"/> in training.</summary>
public sealed record DropoutSpec(float Rate) : LayerSpec
{
    internal override Layer Create(SampleShape input, string subject)
    {
        Require(Rate >= 0f && Rate < 1f, subject, $"rate must be in [0, 1), got {Rate}");
        return new Dropout(input, Rate);
    }
}

/// <summary>(C, H, W) → (C·H·W).</summary>
public sealed record FlattenSpec : LayerSpec
{
    internal override Layer Create(SampleShape input, string subject) => new Flatten(input);
}
