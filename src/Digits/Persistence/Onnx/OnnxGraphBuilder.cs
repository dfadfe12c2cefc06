using System.Runtime.InteropServices;
using static Digits.Persistence.Onnx.OnnxProto;

namespace Digits.Persistence.Onnx;

/// <summary>
/// Builds an ONNX model (https://onnx.ai/onnx/repo-docs/IR.html): ir_version 8, operator set 13 of the default
/// domain, float inputs and outputs. Each operator method takes the names of its input values and returns the
/// name of its output value, so a network is written top to bottom:
/// <code>
/// var g = new OnnxGraphBuilder("digits-cnn");
/// string x = g.Input("input", -1, 1, 28, 28);                // -1: the symbolic batch dimension "N"
/// string y = g.Conv(x, g.Initializer("conv1.weight", w, 32, 1, 3, 3), g.Initializer("conv1.bias", b, 32), kernel: [3, 3]);
/// g.Output(g.Relu(y), "logits", -1, 32, 26, 26);
/// g.Save("digits.onnx");
/// </code>
/// Operator semantics and attribute names follow the operator documents of opset 13
/// (https://onnx.ai/onnx/operators/). Spans of ints left empty mean the operator's default (strides 1, no padding).
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const long IrVersion = 8;
    public const long OpsetVersion = 13;
    public const string ProducerName = "digits";

    /// <summary>The <c>dim_param</c> written for a dimension given as -1.</summary>
    public const string BatchDimension = "N";

    private readonly string graphName;
    private readonly List<Node> nodes = [];
    private readonly List<Initializer> initializers = [];
    private readonly List<ValueInfo> inputs = [];
    private readonly List<ValueInfo> outputs = [];
    private readonly HashSet<string> values = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrEmpty(graphName);
        this.graphName = graphName;
    }

    /// <summary>Declares a float input; a dimension of -1 becomes the symbolic batch dimension.</summary>
    public string Input(string name, params ReadOnlySpan<int> shape)
    {
        Declare(name);
        inputs.Add(new ValueInfo(name, ToLongs(shape)));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> a float output called <paramref name="name"/> (through an Identity node when the names differ).</summary>
    public void Output(string value, string name, params ReadOnlySpan<int> shape)
    {
        Require(value);
        if (value != name)
            AddNode("Identity", [value], [], name);
        outputs.Add(new ValueInfo(name, ToLongs(shape)));
    }

    /// <summary>A constant float tensor, such as a weight, stored in the model.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params ReadOnlySpan<int> shape) =>
        AddInitializer(name, DataTypeFloat, MemoryMarshal.AsBytes(values), values.Length, shape);

    /// <summary>A constant int64 tensor, such as the target shape of a Reshape.</summary>
    public string InitializerInt64(string name, ReadOnlySpan<long> values, params ReadOnlySpan<int> shape) =>
        AddInitializer(name, DataTypeInt64, MemoryMarshal.AsBytes(values), values.Length, shape);

    /// <summary>A model file's F32 or I64 tensor as an initializer of the same name and shape.</summary>
    public string Initializer(TensorData tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        int[] shape = [.. tensor.Shape];
        return tensor.DType switch
        {
            TensorDType.F32 => Initializer(tensor.Name, tensor.AsFloats(), shape),
            TensorDType.I64 => InitializerInt64(tensor.Name, tensor.AsInt64s(), shape),
            _ => throw new ArgumentException($"tensor '{tensor.Name}' is {tensor.DType.HeaderName()}; ONNX initializers here are F32 or I64", nameof(tensor)),
        };
    }

    /// <summary>2-D convolution, NCHW. <paramref name="w"/> is (out channels, in channels, kH, kW); <paramref name="b"/> (out channels) or null. Pads are (top, left, bottom, right).</summary>
    public string Conv(string x, string w, string? b, ReadOnlySpan<int> kernel, ReadOnlySpan<int> strides = default,
        ReadOnlySpan<int> pads = default, string? name = null) =>
        AddNode("Conv", b is null ? [x, w] : [x, w, b],
            [new IntsAttribute("kernel_shape", ToLongs(kernel)), .. Ints("strides", strides), .. Ints("pads", pads), new IntAttribute("group", 1)],
            name);

    /// <summary>Max pooling, NCHW; pads as for <see cref="Conv"/>.</summary>
    public string MaxPool(string x, ReadOnlySpan<int> kernel, ReadOnlySpan<int> strides = default,
        ReadOnlySpan<int> pads = default, string? name = null) =>
        AddNode("MaxPool", [x], [new IntsAttribute("kernel_shape", ToLongs(kernel)), .. Ints("strides", strides), .. Ints("pads", pads)], name);

    /// <summary>Average pooling, NCHW. With <paramref name="countIncludePad"/> false (ONNX's default) padding cells do not count in the mean.</summary>
    public string AveragePool(string x, ReadOnlySpan<int> kernel, ReadOnlySpan<int> strides = default,
        ReadOnlySpan<int> pads = default, bool countIncludePad = false, string? name = null) =>
        AddNode("AveragePool", [x],
            [new IntsAttribute("kernel_shape", ToLongs(kernel)), .. Ints("strides", strides), .. Ints("pads", pads),
             new IntAttribute("count_include_pad", countIncludePad ? 1 : 0)],
            name);

    /// <summary>Mean over each channel's spatial positions: (N, C, H, W) to (N, C, 1, 1).</summary>
    public string GlobalAveragePool(string x, string? name = null) => AddNode("GlobalAveragePool", [x], [], name);

    public string Relu(string x, string? name = null) => AddNode("Relu", [x], [], name);

    /// <summary>
    /// <c>a · b + c</c> for 2-D <paramref name="a"/> (M, K); <paramref name="b"/> is (K, N), or (N, K) with
    /// <paramref name="transB"/>, the layout of a linear layer's weight; <paramref name="c"/> broadcasts to (M, N).
    /// </summary>
    public string Gemm(string a, string b, string? c, bool transB = false, string? name = null) =>
        AddNode("Gemm", c is null ? [a, b] : [a, b, c], transB ? [new IntAttribute("transB", 1)] : [], name);

    /// <summary>Matrix product with numpy broadcasting.</summary>
    public string MatMul(string a, string b, string? name = null) => AddNode("MatMul", [a, b], [], name);

    /// <summary>Element-wise sum with numpy broadcasting.</summary>
    public string Add(string a, string b, string? name = null) => AddNode("Add", [a, b], [], name);

    public string Sub(string a, string b, string? name = null) => AddNode("Sub", [a, b], [], name);

    public string Mul(string a, string b, string? name = null) => AddNode("Mul", [a, b], [], name);

    public string Div(string a, string b, string? name = null) => AddNode("Div", [a, b], [], name);

    /// <summary>Element-wise natural logarithm; ln 0 is −∞, which a following Softmax turns back into 0.</summary>
    public string Log(string x, string? name = null) => AddNode("Log", [x], [], name);

    /// <summary>
    /// Batch normalization in inference form: <c>(x − mean) / sqrt(variance + epsilon) · scale + bias</c> per
    /// channel (axis 1), with the running statistics as initializers.
    /// </summary>
    public string BatchNormalization(string x, string scale, string bias, string mean, string variance,
        float epsilon = 1e-5f, string? name = null) =>
        AddNode("BatchNormalization", [x, scale, bias, mean, variance], [new FloatAttribute("epsilon", epsilon)], name);

    /// <summary>Reshapes to 2-D: dimensions before <paramref name="axis"/> become rows, the rest columns.</summary>
    public string Flatten(string x, int axis = 1, string? name = null) =>
        AddNode("Flatten", [x], [new IntAttribute("axis", axis)], name);

    /// <summary>Reshape to the shape held by the int64 value <paramref name="shape"/>.</summary>
    public string Reshape(string x, string shape, string? name = null) => AddNode("Reshape", [x, shape], [], name);

    /// <summary>Reshape to a constant shape, stored as an int64 initializer; 0 copies the input's dimension, -1 is inferred.</summary>
    public string Reshape(string x, ReadOnlySpan<int> shape, string? name = null)
    {
        string output = name ?? FreshName("Reshape");
        string target = InitializerInt64(FreshName(output + ".shape"), ToLongs(shape), shape.Length);
        return Reshape(x, target, output);
    }

    /// <summary>Softmax along <paramref name="axis"/> (opset 13 semantics: one axis, not the flattened tail).</summary>
    public string Softmax(string x, int axis = -1, string? name = null) =>
        AddNode("Softmax", [x], [new IntAttribute("axis", axis)], name);

    /// <summary>The serialized ModelProto.</summary>
    /// <exception cref="InvalidOperationException">The graph has no input or no output.</exception>
    public byte[] Build()
    {
        if (inputs.Count == 0 || outputs.Count == 0)
            throw new InvalidOperationException($"graph '{graphName}' needs at least one input and one output");
        var model = new ProtobufWriter();
        string version = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        WriteModel(model, IrVersion, ProducerName, version, OpsetVersion,
            graph => WriteGraph(graph, graphName, nodes, initializers, inputs, outputs));
        return model.WrittenSpan.ToArray();
    }

    /// <summary>Writes <see cref="Build"/>'s bytes atomically, as model files are written.</summary>
    /// <exception cref="DigitsException">The file cannot be written.</exception>
    public void Save(string path)
    {
        byte[] model = Build();
        AtomicFile.Write(path, stream => stream.Write(model));
    }

    private string AddInitializer(string name, int dataType, ReadOnlySpan<byte> bytes, int count, ReadOnlySpan<int> shape)
    {
        long expected = TensorData.ElementCountOf(shape)
            ?? throw new ArgumentException($"initializer '{name}': shape {TensorData.FormatShape(shape)} has a negative dimension", nameof(shape));
        if (expected != count)
            throw new ArgumentException($"initializer '{name}': shape {TensorData.FormatShape(shape)} needs {expected} values, got {count}", nameof(shape));
        Declare(name);
        initializers.Add(new Initializer(name, dataType, ToLongs(shape), bytes.ToArray()));
        return name;
    }

    private string AddNode(string opType, string[] inputs, NodeAttribute[] attributes, string? name)
    {
        foreach (string input in inputs)
            Require(input);
        string output = name ?? FreshName(opType);
        Declare(output);
        nodes.Add(new Node(opType, output, inputs, [output], attributes));
        return output;
    }

    private static NodeAttribute[] Ints(string name, ReadOnlySpan<int> values) =>
        values.IsEmpty ? [] : [new IntsAttribute(name, ToLongs(values))];

    private static long[] ToLongs(ReadOnlySpan<int> values)
    {
        var longs = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
            longs[i] = values[i];
        return longs;
    }

    /// <summary>A value name not yet used, such as <c>Conv_3</c>.</summary>
    private string FreshName(string stem)
    {
        string name = stem;
        for (int i = 1; values.Contains(name); i++)
            name = $"{stem}_{i}";
        return name;
    }

    private void Declare(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!values.Add(name))
            throw new ArgumentException($"value '{name}' is already defined in graph '{graphName}'", nameof(name));
    }

    private void Require(string value)
    {
        if (!values.Contains(value))
            throw new ArgumentException($"value '{value}' is not defined in graph '{graphName}'", nameof(value));
    }
}
