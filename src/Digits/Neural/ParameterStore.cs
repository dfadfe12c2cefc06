namespace Digits.Neural;

/// <summary>
/// All of a network's numbers in three contiguous arrays (as in llm.c): trainable <see cref="Values"/>, their
/// <see cref="Gradients"/> (same layout), and non-trainable <see cref="Buffers"/> such as BatchNorm's running
/// statistics. Layers hold <see cref="ParameterView"/>s into them. An optimizer is one loop over
/// <see cref="Values"/>, and saving a model is one write per array.
/// </summary>
public sealed class ParameterStore
{
    private readonly List<ParameterView> parameters = [];
    private readonly List<ParameterView> buffers = [];
    private int parameterLength, bufferLength;

    /// <summary>Trainable parameters, in declaration order.</summary>
    public float[] Values { get; private set; } = [];

    /// <summary>Gradients of the loss with respect to <see cref="Values"/>; backward accumulates, the optimizer zeroes.</summary>
    public float[] Gradients { get; private set; } = [];

    /// <summary>Non-trainable state that a model file must keep (BatchNorm running mean and variance).</summary>
    public float[] Buffers { get; private set; } = [];

    /// <summary>The trainable tensors, in order.</summary>
    public IReadOnlyList<ParameterView> Parameters => parameters;

    /// <summary>The non-trainable tensors, in order.</summary>
    public IReadOnlyList<ParameterView> BufferViews => buffers;

    /// <summary>Reserves a trainable tensor; valid once the store is allocated.</summary>
    internal ParameterView AddParameter(string name, int[] shape, bool decay)
    {
        var view = new ParameterView(name, parameterLength, Product(shape, parameterLength, name), shape, decay);
        parameterLength += view.Length;
        parameters.Add(view);
        return view;
    }

    /// <summary>Reserves a non-trainable tensor.</summary>
    internal ParameterView AddBuffer(string name, int[] shape)
    {
        var view = new ParameterView(name, bufferLength, Product(shape, bufferLength, name), shape, false);
        bufferLength += view.Length;
        buffers.Add(view);
        return view;
    }

    /// <summary>Floats of <see cref="Values"/> once allocated.</summary>
    internal int ParameterLength => parameterLength;

    /// <summary>Floats of <see cref="Buffers"/> once allocated.</summary>
    internal int BufferLength => bufferLength;

    /// <summary>Allocates the three arrays; an inference-only network has no <see cref="Gradients"/>.</summary>
    internal void Allocate(bool gradients)
    {
        Values = new float[parameterLength];
        Gradients = gradients ? new float[parameterLength] : [];
        Buffers = new float[bufferLength];
    }

    /// <summary>The values of a trainable tensor.</summary>
    public Span<float> Value(ParameterView view) => Values.AsSpan(view.Offset, view.Length);

    /// <summary>The gradient of a trainable tensor.</summary>
    public Span<float> Gradient(ParameterView view) => Gradients.AsSpan(view.Offset, view.Length);

    /// <summary>The values of a non-trainable tensor.</summary>
    public Span<float> Buffer(ParameterView view) => Buffers.AsSpan(view.Offset, view.Length);

    /// <summary>The floats of <paramref name="shape"/>, refused when the array it joins would outgrow .NET's largest.</summary>
    private static int Product(int[] shape, int length, string name)
    {
        long product = 1;
        foreach (int d in shape)
        {
            product = Math.Min(product * d, Array.MaxLength + 1L);
        }
        if (length + product > Array.MaxLength)
        {
            throw new DigitsException(name, $"tensor of shape [{string.Join(",", shape)}] takes the network past {Array.MaxLength} values in one array");
        }
        return (int)product;
    }
}
