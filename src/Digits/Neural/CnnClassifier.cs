using System.Globalization;
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
public sealed class CnnClassifier : IPersistableModel, IOnnxExportable
{
    /// <summary>Images per forward pass when none is given: large enough to keep the GEMMs efficient, small enough to stay in cache-friendly sizes.</summary>
    public const int DefaultMaxBatch = 256;

    /// <summary>
    /// The most a classifier's network may grow to for large batches: far above what the recipes need at
    /// <see cref="DefaultMaxBatch"/> (cnn, the largest, about 0.2 GB), so that only a model file declaring huge
    /// activations per image is cut to smaller batches, rather than allocating gigabytes.
    /// </summary>
    private const long MaxNetworkBytes = 1L << 30;

    private readonly Lock gate = new();
    private readonly byte[] deskewed;
    private volatile Network network;
    private float[] inputs;

    /// <summary>
    /// Builds the network of <paramref name="architecture"/> and copies in trained <paramref name="parameters"/>
    /// and <paramref name="buffers"/> (laid out as that network's <see cref="ParameterStore"/>).
    /// </summary>
    public CnnClassifier(CnnArchitecture architecture, ReadOnlySpan<float> parameters, ReadOnlySpan<float> buffers,
        string? recipe, Preprocessing preprocessing, IReadOnlyList<string>? labels = null, int maxBatch = DefaultMaxBatch)
        : this(architecture, new Network(architecture.Input, architecture.Layers, 1, 0, trainable: false), recipe, preprocessing, labels, maxBatch)
    {
        if (parameters.Length != network.Parameters.Values.Length || buffers.Length != network.Parameters.Buffers.Length)
        {
            throw new ArgumentException($"the architecture has {network.Parameters.Values.Length} parameters and {network.Parameters.Buffers.Length} buffer values, got {parameters.Length} and {buffers.Length}");
        }
        parameters.CopyTo(network.Parameters.Values);
        buffers.CopyTo(network.Parameters.Buffers);
    }

    /// <summary>
    /// Wraps an inference network built for one image. Activation buffers grow with the batches that
    /// <see cref="Predict"/> is given, up to <see cref="MaxBatch"/>, so loading a model costs its parameters and
    /// predicting one image costs one image's activations.
    /// </summary>
    private CnnClassifier(CnnArchitecture architecture, Network network, string? recipe, Preprocessing preprocessing,
        IReadOnlyList<string>? labels, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        CnnArchitecture = architecture;
        this.network = network;
        MaxBatch = maxBatch;
        Labels = labels ?? ModelMetadata.DigitLabels;
        if (network.OutputShape.Size != Labels.Count)
        {
            throw new ArgumentException($"the network has {network.OutputShape.Size} outputs but there are {Labels.Count} labels", nameof(labels));
        }
        Recipe = recipe;
        Preprocessing = preprocessing;
        inputs = new float[network.MaxBatch * architecture.Input.Size];
        deskewed = preprocessing.Deskew ? new byte[architecture.Input.Size] : [];
    }

    public string Name => Recipe ?? ModelKind.Cnn;

    public IReadOnlyList<string> Labels { get; }

    public string Kind => ModelKind.Cnn;

    public string? Recipe { get; }

    public Preprocessing Preprocessing { get; }

    public CnnArchitecture CnnArchitecture { get; }

    public string Architecture => CnnArchitecture.ToJson();

    /// <summary>The most images per forward pass.</summary>
    public int MaxBatch { get; }

    /// <summary>
    /// The same model (a copy of its parameters, so the same predictions) with room for <paramref name="maxBatch"/>
    /// images per forward pass: a smaller batch keeps less activation memory, which adds up across ensemble members.
    /// </summary>
    public CnnClassifier WithMaxBatch(int maxBatch)
    {
        lock (gate)
        {
            return new(CnnArchitecture, network.Parameters.Values, network.Parameters.Buffers, Recipe, Preprocessing, Labels, maxBatch);
        }
    }

    /// <summary>Parameters and running statistics, read-only by convention: for export and inspection.</summary>
    public ParameterStore Parameters => network.Parameters;

    /// <summary>A Keras-style summary: one row per layer.</summary>
    public IReadOnlyList<LayerSummary> Summary() => network.Summary();

    public void ExportOnnx(string path, double temperature = 1) => CnnOnnxExporter.Export(this, path, temperature);

    public IReadOnlyList<ModelLayer> Layers() => [.. Summary().Select(s => new ModelLayer(s.Name, s.OutputShape.Dimensions, s.Parameters))];

    public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        int pixels = CnnArchitecture.Input.Size, classes = Labels.Count;
        Require(images.Length, count, pixels, probabilities.Length, classes);
        lock (gate)
        {
            int chunk = Reserve(count);
            for (int start = 0; start < count; start += chunk)
            {
                int n = Math.Min(chunk, count - start);
                for (int i = 0; i < n; i++)
                    ModelInput.Prepare(images.Slice((start + i) * pixels, pixels), 1, Preprocessing.Deskew, deskewed, inputs.AsSpan(i * pixels, pixels));
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
            int chunk = Reserve(count);
            for (int start = 0; start < count; start += chunk)
            {
                int n = Math.Min(chunk, count - start);
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
    /// <exception cref="DigitsException">
    /// Another kind, a bad architecture, a missing or misshapen tensor, or a declared network larger than the file
    /// can describe (see <see cref="ModelMemoryBudget"/>); nothing large is allocated before these checks.
    /// </exception>
    public static CnnClassifier FromModelFile(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Metadata.Kind != ModelKind.Cnn)
        {
            throw new DigitsException(file.Name, $"is a '{file.Metadata.Kind}' model, not a '{ModelKind.Cnn}' one");
        }
        return FromTensors(file, new ModelMemoryBudget(file), "", ParseArchitecture(file, file.Metadata.Architecture),
            file.Metadata.Recipe, file.Metadata.Preprocessing, file.Metadata.Labels);
    }

    /// <summary>Parses a CNN architecture stored in <paramref name="file"/>; errors name the file.</summary>
    internal static CnnArchitecture ParseArchitecture(ModelFile file, string json)
    {
        try
        {
            return CnnArchitecture.FromJson(json);
        }
        catch (DigitsException error)
        {
            throw new DigitsException(file.Name, error.Message, error);
        }
    }

    /// <summary>
    /// Rebuilds a CNN whose tensors are stored under <paramref name="prefix"/> (e.g. <c>"m0."</c> in an ensemble):
    /// plans the declared network, checks every tensor it declares against the file's, claims the network's memory
    /// from <paramref name="budget"/>, and only then builds it.
    /// </summary>
    internal static CnnClassifier FromTensors(ModelFile file, ModelMemoryBudget budget, string prefix, CnnArchitecture architecture,
        string? recipe, Preprocessing preprocessing, IReadOnlyList<string> labels, int maxBatch = DefaultMaxBatch)
    {
        if (architecture.Input != CnnArchitecture.MnistInput)
        {
            // Every classifier takes 28×28 images (IClassifier); a model of another input could load but never predict.
            throw new DigitsException(file.Name, $"architecture input is {architecture.Input}, but a digit model's is {CnnArchitecture.MnistInput}");
        }
        NetworkPlan plan;
        try
        {
            plan = NetworkPlan.Create(architecture.Input, architecture.Layers);
        }
        catch (DigitsException error)
        {
            throw new DigitsException(file.Name, $"architecture: {error.Message}", error);
        }
        ParameterStore declared = plan.Parameters;
        TensorData[] values = [.. declared.Parameters.Select(view => Declared(file, prefix, plan, view))];
        TensorData[] buffers = [.. declared.BufferViews.Select(view => Declared(file, prefix, plan, view))];
        if (plan.Output.Size != labels.Count)
        {
            throw new DigitsException(file.Name, $"architecture ends in {plan.Output.Size} outputs, but the file lists {labels.Count} labels");
        }
        budget.Claim(plan.Bytes(1, trainable: false) + (long)architecture.Input.Size * sizeof(float), "declared network");

        var network = new Network(plan, 1, 0, trainable: false);
        ParameterStore store = network.Parameters;
        for (int i = 0; i < values.Length; i++)
        {
            values[i].AsFloats().CopyTo(store.Value(store.Parameters[i]));
        }
        for (int i = 0; i < buffers.Length; i++)
        {
            buffers[i].AsFloats().CopyTo(store.Buffer(store.BufferViews[i]));
        }
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i].LoadedParameterProblem() is { } problem)
            {
                string member = prefix.Length == 0 ? "" : $" of member {prefix.TrimEnd('.')}";
                throw new DigitsException(file.Name, $"layer {i} ({network.Layers[i].Kind}){member}: {problem}");
            }
        }
        return new CnnClassifier(architecture, network, recipe, preprocessing, labels, maxBatch);
    }

    /// <summary>The file's tensor for a declared parameter; a shape mismatch says which layer declared what.</summary>
    private static TensorData Declared(ModelFile file, string prefix, NetworkPlan plan, ParameterView view)
    {
        string name = prefix + view.Name;
        int[] shape = [.. view.Shape];
        if (file.File.Find(name) is { } tensor && !tensor.HasShape(shape))
        {
            Layer layer = plan.Layers[int.Parse(view.Name.AsSpan(0, view.Name.IndexOf('.')), CultureInfo.InvariantCulture)];
            throw new DigitsException(file.Name,
                $"architecture declares a {layer.Kind} layer whose '{view.Name[(view.Name.IndexOf('.') + 1)..]}' is {TensorData.FormatShape(shape)}, but tensor '{name}' has shape {TensorData.FormatShape([.. tensor.Shape])}");
        }
        return file.Require(name, TensorDType.F32, shape);
    }

    /// <summary>
    /// Grows the network so that one forward pass holds min(<paramref name="count"/>, <see cref="MaxBatch"/>)
    /// images, at least doubling each time, but never past <see cref="MaxNetworkBytes"/>. Returns the images per
    /// forward pass. Called under the lock.
    /// </summary>
    private int Reserve(int count)
    {
        int wanted = Math.Clamp(count, 1, MaxBatch), current = network.MaxBatch;
        if (wanted > current)
        {
            NetworkPlan plan = NetworkPlan.Create(CnnArchitecture.Input, CnnArchitecture.Layers);
            int batch = Math.Min(MaxBatch, Math.Max(wanted, 2 * current));
            while (batch > current && plan.Bytes(batch, trainable: false) > MaxNetworkBytes)
            {
                batch = current + (batch - current) / 2;
            }
            if (batch > current)
            {
                var grown = new Network(plan, batch, 0, trainable: false);
                network.Parameters.Values.CopyTo(grown.Parameters.Values);
                network.Parameters.Buffers.CopyTo(grown.Parameters.Buffers);
                network = grown;
                inputs = new float[batch * CnnArchitecture.Input.Size];
            }
        }
        return Math.Min(wanted, network.MaxBatch);
    }

    /// <exception cref="DigitsException">
    /// The outputs overflowed to infinity or NaN: finite weights far outside any trained range, which only a corrupt
    /// file holds. Softmax of such logits would answer NaN probabilities as if they were a prediction.
    /// </exception>
    private ReadOnlySpan<float> Run(int count)
    {
        if (CnnArchitecture.Standardization is { } standardization)
        {
            standardization.Apply(inputs.AsSpan(0, count * CnnArchitecture.Input.Size));
        }
        ReadOnlySpan<float> logits = network.Forward(inputs, count, training: false);
        if (!Digits.Tensors.Finite.All(logits))
        {
            throw new DigitsException(Name, "the network's outputs overflow to infinity or NaN; its weights are corrupt");
        }
        return logits;
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
