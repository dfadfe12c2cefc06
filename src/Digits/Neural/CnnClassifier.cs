using Digits.Data;
using Digits.Imaging;
using Digits.Persistence;
using Softmax = Digits.Tensors.Softmax;

namespace Digits.Neural;

/// <summary>
/// A trained convolutional network as a classifier: 28×28 byte images in, softmax probabilities out. Pixels are
/// scaled to [0, 1], deskewed first when <see cref="Preprocessing"/> says so, and standardized when the
/// architecture has an <see cref="InputStandardization"/>, exactly as in training.
/// </summary>
/// <remarks>
/// The classifier owns one evaluation-mode <see cref="Network"/> whose activation buffers are reused by every
/// call, so <see cref="Predict"/> and <see cref="Logits"/> take a lock: concurrent callers (a web server's
/// requests) are served one at a time, each using all the cores the tensor kernels are allowed. Large requests
/// are cut into chunks of <see cref="MaxBatch"/> images.
/// </remarks>
public sealed class CnnClassifier : IPersistableModel
{
    /// <summary>Images per forward pass when none is given: large enough to keep the GEMMs efficient, small enough to stay in cache-friendly sizes.</summary>
    public const int DefaultMaxBatch = 256;

    private readonly Network network;
    private readonly Lock gate = new();
    private readonly float[] inputs;
    private readonly byte[] deskewed;

    /// <summary>
    /// Builds the network of <paramref name="architecture"/> and copies in trained <paramref name="parameters"/>
    /// and <paramref name="buffers"/> (laid out as that network's <see cref="ParameterStore"/>).
    /// </summary>
    public CnnClassifier(CnnArchitecture architecture, ReadOnlySpan<float> parameters, ReadOnlySpan<float> buffers,
        string? recipe, Preprocessing preprocessing, IReadOnlyList<string>? labels = null, int maxBatch = DefaultMaxBatch)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(preprocessing);
        CnnArchitecture = architecture;
        network = new Network(architecture.Input, architecture.Layers, maxBatch, 0, trainable: false);
        if (parameters.Length != network.Parameters.Values.Length || buffers.Length != network.Parameters.Buffers.Length)
        {
            throw new ArgumentException($"the architecture has {network.Parameters.Values.Length} parameters and {network.Parameters.Buffers.Length} buffer values, got {parameters.Length} and {buffers.Length}");
        }
        parameters.CopyTo(network.Parameters.Values);
        buffers.CopyTo(network.Parameters.Buffers);
        Labels = labels ?? ModelMetadata.DigitLabels;
        if (network.OutputShape.Size != Labels.Count)
        {
            throw new ArgumentException($"the network has {network.OutputShape.Size} outputs but there are {Labels.Count} labels", nameof(labels));
        }
        Recipe = recipe;
        Preprocessing = preprocessing;
        inputs = new float[maxBatch * architecture.Input.Size];
        deskewed = preprocessing.Deskew ? new byte[architecture.Input.Size] : [];
    }

    public string Name => Recipe ?? ModelKind.Cnn;

    public IReadOnlyList<string> Labels { get; }

    public string Kind => ModelKind.Cnn;

    public string? Recipe { get; }

    public Preprocessing Preprocessing { get; }

    public CnnArchitecture CnnArchitecture { get; }

    public string Architecture => CnnArchitecture.ToJson();

    /// <summary>Images per forward pass.</summary>
    public int MaxBatch => network.MaxBatch;

    /// <summary>
    /// The same model (a copy of its parameters, so the same predictions) with room for <paramref name="maxBatch"/>
    /// images per forward pass: a smaller batch keeps less activation memory, which adds up across ensemble members.
    /// </summary>
    public CnnClassifier WithMaxBatch(int maxBatch) =>
        new(CnnArchitecture, network.Parameters.Values, network.Parameters.Buffers, Recipe, Preprocessing, Labels, maxBatch);

    /// <summary>Parameters and running statistics, read-only by convention: for export and inspection.</summary>
    public ParameterStore Parameters => network.Parameters;

    /// <summary>A Keras-style summary: one row per layer.</summary>
    public IReadOnlyList<LayerSummary> Summary() => network.Summary();

    public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        int pixels = CnnArchitecture.Input.Size, classes = Labels.Count;
        Require(images.Length, count, pixels, probabilities.Length, classes);
        lock (gate)
        {
            for (int start = 0; start < count; start += MaxBatch)
            {
                int n = Math.Min(MaxBatch, count - start);
                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<byte> image = images.Slice((start + i) * pixels, pixels);
                    if (Preprocessing.Deskew)
                    {
                        Deskew.Apply(image, deskewed, CnnArchitecture.Input.Width, CnnArchitecture.Input.Height);
                        image = deskewed;
                    }
                    BatchIterator.ToUnitFloats(image, inputs.AsSpan(i * pixels, pixels));
                }
                ReadOnlySpan<float> logits = Run(n);
                Softmax.Rows(logits, probabilities.Slice(start * classes, n * classes), n, classes);
            }
        }
    }

    /// <summary>
    /// The network's raw outputs for float images in [0, 1] (count × input size, already preprocessed), before
    /// softmax: what the ONNX export computes from the same input. Standardization is applied here.
    /// </summary>
    public void Logits(ReadOnlySpan<float> images, int count, Span<float> logits)
    {
        int pixels = CnnArchitecture.Input.Size, classes = Labels.Count;
        Require(images.Length, count, pixels, logits.Length, classes);
        lock (gate)
        {
            for (int start = 0; start < count; start += MaxBatch)
            {
                int n = Math.Min(MaxBatch, count - start);
                images.Slice(start * pixels, n * pixels).CopyTo(inputs);
                Run(n).CopyTo(logits.Slice(start * classes, n * classes));
            }
        }
    }

    public IEnumerable<TensorData> Tensors()
    {
        ParameterStore store = network.Parameters;
        foreach (ParameterView view in store.Parameters)
        {
            yield return TensorData.FromFloats(view.Name, store.Value(view), [.. view.Shape]);
        }
        foreach (ParameterView view in store.BufferViews)
        {
            yield return TensorData.FromFloats(view.Name, store.Buffer(view), [.. view.Shape]);
        }
    }

    /// <summary>Rebuilds a CNN from a model file of kind <c>cnn</c>; its predictions are bit-identical to the saved model's.</summary>
    /// <exception cref="DigitsException">Another kind, a bad architecture, or a missing or misshapen tensor.</exception>
    public static CnnClassifier FromModelFile(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Metadata.Kind != ModelKind.Cnn)
        {
            throw new DigitsException(file.Name, $"is a '{file.Metadata.Kind}' model, not a '{ModelKind.Cnn}' one");
        }
        return FromTensors(file, "", CnnArchitecture.FromJson(file.Metadata.Architecture), file.Metadata.Recipe,
            file.Metadata.Preprocessing, file.Metadata.Labels);
    }

    /// <summary>Rebuilds a CNN whose tensors are stored under <paramref name="prefix"/> (e.g. <c>"m0."</c> in an ensemble).</summary>
    internal static CnnClassifier FromTensors(ModelFile file, string prefix, CnnArchitecture architecture, string? recipe,
        Preprocessing preprocessing, IReadOnlyList<string> labels, int maxBatch = DefaultMaxBatch)
    {
        Network shape;
        try
        {
            shape = new Network(architecture.Input, architecture.Layers, 1, 0, trainable: false);
        }
        catch (DigitsException error)
        {
            throw new DigitsException(file.Name, $"architecture: {error.Message}", error);
        }
        ParameterStore store = shape.Parameters;
        foreach (ParameterView view in store.Parameters)
        {
            file.Require(prefix + view.Name, TensorDType.F32, [.. view.Shape]).AsFloats().CopyTo(store.Value(view));
        }
        foreach (ParameterView view in store.BufferViews)
        {
            file.Require(prefix + view.Name, TensorDType.F32, [.. view.Shape]).AsFloats().CopyTo(store.Buffer(view));
        }
        try
        {
            return new CnnClassifier(architecture, store.Values, store.Buffers, recipe, preprocessing, labels, maxBatch);
        }
        catch (ArgumentException error)
        {
            throw new DigitsException(file.Name, error.Message, error);
        }
    }

    private ReadOnlySpan<float> Run(int count)
    {
        if (CnnArchitecture.Standardization is { } standardization)
        {
            standardization.Apply(inputs.AsSpan(0, count * CnnArchitecture.Input.Size));
        }
        return network.Forward(inputs, count, training: false);
    }

    private static void Require(int inputLength, int count, int pixels, int outputLength, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)count * pixels > inputLength)
        {
            throw new ArgumentException($"holds {inputLength} values, fewer than {count} images × {pixels}", "images");
        }
        if ((long)count * classes > outputLength)
        {
            throw new ArgumentException($"holds {outputLength} values, fewer than {count} images × {classes} classes");
        }
    }
}
