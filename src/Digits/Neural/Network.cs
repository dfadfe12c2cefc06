namespace Digits.Neural;

/// <summary>
/// A sequential network (Keras' <c>Sequential</c>, PyTorch's <c>nn.Sequential</c>) built from a list of
/// <see cref="LayerSpec"/>s for one input shape. Parameters live in one <see cref="ParameterStore"/>, and all
/// activations and their gradients are allocated once for <see cref="MaxBatch"/> samples, so a training step
/// allocates nothing.
/// </summary>
public sealed class Network
{
    private readonly Layer[] layers;
    private readonly float[][] activations;
    private readonly float[][] dactivations;
    private int lastBatch = -1;

    /// <summary>Builds the layers, infers every shape, allocates all buffers and initializes the parameters.</summary>
    /// <param name="inputShape">One sample, e.g. (1, 28, 28).</param>
    /// <param name="specs">The layers, top to bottom.</param>
    /// <param name="maxBatch">The largest batch <see cref="Forward"/> will see.</param>
    /// <param name="seed">Seeds the initial parameters and every dropout mask.</param>
    /// <param name="trainable">
    /// False for inference only: no gradient buffers are allocated, for activations or parameters (half the memory
    /// of a trainable network), and <see cref="Backward"/> throws.
    /// </param>
    public Network(SampleShape inputShape, IReadOnlyList<LayerSpec> specs, int maxBatch, ulong seed, bool trainable = true)
        : this(NetworkPlan.Create(inputShape, specs), maxBatch, seed, trainable)
    {
    }

    /// <summary>Builds the network of a plan that a loader has already checked; the plan's layers become this network's.</summary>
    internal Network(NetworkPlan plan, int maxBatch, ulong seed, bool trainable)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        InputShape = plan.Input;
        OutputShape = plan.Output;
        MaxBatch = maxBatch;
        Specs = plan.Specs;
        Parameters = plan.Parameters;
        layers = plan.Layers;
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i].Prepare(maxBatch, Rng.Derive(seed, 1000 + (ulong)i).NextUInt64());
        }
        Parameters.Allocate(gradients: trainable);
        Initialize(seed);

        activations = new float[layers.Length + 1][];
        dactivations = new float[layers.Length + 1][];
        activations[0] = new float[maxBatch * InputShape.Size];
        Trainable = trainable;
        dactivations[0] = !trainable || layers.Length > 0 && layers[0].PassesThrough ? [] : new float[maxBatch * InputShape.Size];
        for (int i = 0; i < layers.Length; i++)
        {
            bool shared = layers[i].PassesThrough;
            activations[i + 1] = shared ? activations[i] : new float[maxBatch * layers[i].OutputShape.Size];
            dactivations[i + 1] = !trainable ? [] : shared && i > 0 ? dactivations[i] : new float[maxBatch * layers[i].OutputShape.Size];
        }
    }

    public SampleShape InputShape { get; }

    /// <summary>Shape of one sample's output, e.g. (10) logits.</summary>
    public SampleShape OutputShape { get; }

    public int MaxBatch { get; }

    /// <summary>Whether <see cref="Backward"/> may be called (see the constructor).</summary>
    public bool Trainable { get; }

    public IReadOnlyList<LayerSpec> Specs { get; }

    public IReadOnlyList<Layer> Layers => layers;

    /// <summary>Parameters, gradients and buffers of every layer.</summary>
    public ParameterStore Parameters { get; }

    /// <summary>Sets every parameter and buffer to its initial value, as PyTorch would, from <paramref name="seed"/>.</summary>
    public void Initialize(ulong seed)
    {
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i].Initialize(Rng.Derive(seed, (ulong)i));
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> samples (batch-major, <see cref="InputShape"/> each) through the network and
    /// returns their outputs (count × <see cref="OutputShape"/>), valid until the next call. With
    /// <paramref name="training"/>, dropout is active and BatchNorm uses and updates batch statistics.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> inputs, int count, bool training)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxBatch);
        int inputLength = count * InputShape.Size;
        if (inputs.Length < inputLength)
        {
            throw new ArgumentException($"holds {inputs.Length} floats but {count} samples of {InputShape} need {inputLength}", nameof(inputs));
        }
        inputs[..inputLength].CopyTo(activations[0]);
        for (int i = 0; i < layers.Length; i++)
        {
            if (!layers[i].PassesThrough)
            {
                layers[i].Forward(activations[i], activations[i + 1], count, training);
            }
        }
        lastBatch = count;
        return activations[^1].AsSpan(0, count * OutputShape.Size);
    }

    /// <summary>
    /// Back-propagates <paramref name="doutputs"/> (the loss gradient with respect to the last
    /// <see cref="Forward"/>'s outputs) and ACCUMULATES parameter gradients into
    /// <see cref="ParameterStore.Gradients"/>. If <paramref name="dinputs"/> is not empty it receives the
    /// gradient with respect to the inputs.
    /// </summary>
    public void Backward(ReadOnlySpan<float> doutputs, Span<float> dinputs = default)
    {
        if (!Trainable)
        {
            throw new InvalidOperationException("This network was built for inference only.");
        }
        if (lastBatch < 0)
        {
            throw new InvalidOperationException("Backward needs a Forward call first.");
        }
        int count = lastBatch;
        int outputLength = count * OutputShape.Size;
        if (doutputs.Length < outputLength)
        {
            throw new ArgumentException($"holds {doutputs.Length} floats, expected {outputLength}", nameof(doutputs));
        }
        if (!dinputs.IsEmpty && dinputs.Length < count * InputShape.Size)
        {
            throw new ArgumentException($"holds {dinputs.Length} floats, expected {count * InputShape.Size}", nameof(dinputs));
        }
        if (layers.Length == 0)
        {
            doutputs[..outputLength].CopyTo(dinputs);
            return;
        }
        doutputs[..outputLength].CopyTo(dactivations[^1]);
        for (int i = layers.Length - 1; i >= 1; i--)
        {
            if (!layers[i].PassesThrough)
            {
                layers[i].Backward(activations[i], activations[i + 1], dactivations[i + 1], dactivations[i], count);
            }
        }
        if (layers[0].PassesThrough)
        {
            if (!dinputs.IsEmpty)
            {
                dactivations[1].AsSpan(0, count * InputShape.Size).CopyTo(dinputs);
            }
        }
        else
        {
            layers[0].Backward(activations[0], activations[1], dactivations[1], dinputs, count);
        }
    }

    /// <summary>A Keras-style summary: one row per layer.</summary>
    public IReadOnlyList<LayerSummary> Summary()
    {
        var rows = new LayerSummary[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            rows[i] = new LayerSummary($"{layers[i].Kind} ({i})", layers[i].OutputShape, layers[i].ParameterCount);
        }
        return rows;
    }
}
