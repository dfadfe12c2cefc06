namespace Digits.Neural;

/// <summary>
/// A network's layers with every shape inferred and every parameter declared, but nothing allocated: what a model
/// loader checks against the file's tensors and its memory budget before it builds the <see cref="Network"/>.
/// All sizes are checked in 64-bit arithmetic, so a hostile architecture (a layer two billion wide, an input of
/// 100000 × 100000) is refused with a <see cref="DigitsException"/> instead of overflowing. A plan builds one network.
/// </summary>
internal sealed class NetworkPlan
{
    private NetworkPlan(SampleShape input, LayerSpec[] specs, Layer[] layers, ParameterStore parameters)
    {
        Input = input;
        Specs = specs;
        Layers = layers;
        Parameters = parameters;
        Output = layers.Length == 0 ? input : layers[^1].OutputShape;
    }

    public SampleShape Input { get; }

    public SampleShape Output { get; }

    public LayerSpec[] Specs { get; }

    public Layer[] Layers { get; }

    /// <summary>The declared parameters and buffers, not yet allocated.</summary>
    public ParameterStore Parameters { get; }

    /// <exception cref="ArgumentOutOfRangeException">The input holds no values.</exception>
    /// <exception cref="DigitsException">A layer does not fit its input, or a shape is larger than an array can hold.</exception>
    public static NetworkPlan Create(SampleShape input, IReadOnlyList<LayerSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        long inputSize = (long)input.Channels * input.Height * input.Width;
        if (input.Channels <= 0 || input.Height <= 0 || input.Width <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input, "must hold at least one value");
        }
        if (inputSize > Array.MaxLength)
        {
            throw new DigitsException("input", $"{input} would hold {inputSize} values, more than one array can");
        }
        LayerSpec[] specArray = [.. specs];
        var parameters = new ParameterStore();
        var layers = new Layer[specArray.Length];
        SampleShape shape = input;
        for (int i = 0; i < layers.Length; i++)
        {
            string subject = $"layer {i} ({specArray[i].GetType().Name.Replace("Spec", "", StringComparison.Ordinal)})";
            layers[i] = specArray[i].Create(shape, subject);
            try
            {
                layers[i].Declare(parameters, $"{i}.");
            }
            catch (DigitsException error)
            {
                throw new DigitsException(subject, error.Message, error);
            }
            shape = layers[i].OutputShape;
        }
        return new NetworkPlan(input, specArray, layers, parameters);
    }

    /// <summary>
    /// Bytes the <see cref="Network"/> of this plan allocates for batches of <paramref name="maxBatch"/>: parameters
    /// (and their gradients when <paramref name="trainable"/>), buffers, activations (and their gradients), and
    /// every layer's scratch.
    /// </summary>
    public long Bytes(int maxBatch, bool trainable)
    {
        long parameterFloats = Parameters.ParameterLength * (trainable ? 2L : 1L) + Parameters.BufferLength;
        long activationFloats = Input.Size;
        long scratchBytes = 0;
        foreach (Layer layer in Layers)
        {
            if (!layer.PassesThrough)
            {
                activationFloats += layer.OutputShape.Size;
            }
            scratchBytes += layer.ScratchBytes(maxBatch);
        }
        activationFloats *= trainable ? 2L * maxBatch : maxBatch;
        return (parameterFloats + activationFloats) * sizeof(float) + scratchBytes;
    }
}
