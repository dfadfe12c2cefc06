namespace Digits.Neural;

/// <summary>
/// One stage of a <see cref="Network"/>. A layer owns its shapes, its views into the network's
/// <see cref="ParameterStore"/> and its scratch; the arithmetic lives in <c>Digits.Tensors</c> kernels.
/// Activations are batch-major: sample b of a batch occupies floats [b·size, (b+1)·size).
/// </summary>
public abstract class Layer
{
    private readonly List<ParameterView> parameterViews = [];

    protected Layer(SampleShape inputShape, SampleShape outputShape)
    {
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    /// <summary>The PyTorch-style class name, e.g. <c>Conv2d</c>, shown in summaries.</summary>
    public abstract string Kind { get; }

    public SampleShape InputShape { get; }

    public SampleShape OutputShape { get; }

    /// <summary>Trainable parameters of this layer.</summary>
    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (ParameterView view in parameterViews)
            {
                count += view.Length;
            }
            return count;
        }
    }

    /// <summary>
    /// True for layers whose output is their input reinterpreted (Flatten): the network gives them one buffer
    /// and never calls <see cref="Forward"/> or <see cref="Backward"/>.
    /// </summary>
    public virtual bool PassesThrough => false;

    /// <summary>The store this layer's views point into, once declared.</summary>
    protected ParameterStore Store { get; private set; } = null!;

    /// <summary>Reserves this layer's tensors; <paramref name="prefix"/> is e.g. <c>"0."</c>.</summary>
    internal void Declare(ParameterStore store, string prefix)
    {
        Store = store;
        DeclareParameters(prefix);
    }

    /// <summary>Reserves tensors through <see cref="AddParameter"/> and <see cref="AddBuffer"/>.</summary>
    protected virtual void DeclareParameters(string prefix)
    {
    }

    protected ParameterView AddParameter(string name, int[] shape, bool decay)
    {
        ParameterView view = Store.AddParameter(name, shape, decay);
        parameterViews.Add(view);
        return view;
    }

    protected ParameterView AddBuffer(string name, int[] shape) => Store.AddBuffer(name, shape);

    /// <summary>What is wrong with parameters loaded from a file that no training could have produced, or null.</summary>
    internal virtual string? LoadedParameterProblem() => null;

    /// <summary>Sets parameters and buffers to their initial values (PyTorch's defaults).</summary>
    internal virtual void Initialize(Rng rng)
    {
    }

    /// <summary>Allocates scratch for batches of up to <paramref name="maxBatch"/>; <paramref name="seed"/> seeds any randomness.</summary>
    internal virtual void Prepare(int maxBatch, ulong seed)
    {
    }

    /// <summary>
    /// Bytes <see cref="Prepare"/> allocates for <paramref name="maxBatch"/>, so that a loader can refuse a network
    /// too large for its file before anything is allocated. Constructors allocate nothing that grows with the shapes.
    /// </summary>
    internal virtual long ScratchBytes(int maxBatch) => 0;

    /// <summary>Computes the output of <paramref name="batch"/> samples. Overwrites output.</summary>
    public abstract void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training);

    /// <summary>
    /// Back-propagates after the <see cref="Forward"/> call that produced <paramref name="output"/> from
    /// <paramref name="input"/>: ACCUMULATES parameter gradients into the store and overwrites dinput, unless it
    /// is empty (nothing upstream needs it).
    /// </summary>
    public abstract void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch);

    /// <summary>U(−1/√fanIn, 1/√fanIn): PyTorch's default for Conv2d and Linear weights (Kaiming-uniform, a = √5) and biases.</summary>
    protected static void FillUniform(Span<float> values, int fanIn, Rng rng)
    {
        float bound = 1f / MathF.Sqrt(fanIn);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (2f * rng.NextFloat() - 1f) * bound;
        }
    }
}
