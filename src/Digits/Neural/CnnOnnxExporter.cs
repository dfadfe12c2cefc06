using Digits.Persistence.Onnx;

namespace Digits.Neural;

/// <summary>
/// Writes a <see cref="CnnClassifier"/> or <see cref="EnsembleClassifier"/> as an ONNX model for other runtimes.
/// </summary>
/// <remarks>
/// Input contract: <c>input</c>, float32 [N, 1, 28, 28], pixels scaled to [0, 1] (byte / 255), white ink on black,
/// after the model's preprocessing (deskew, if its metadata says so, is not part of the graph). Standardization, if
/// the model uses it, is in the graph (Sub, then Div). BatchNorm is exported in inference form with its running
/// statistics; Dropout is the identity at inference and is left out.
/// Outputs: a CNN gives <c>logits</c> [N, classes] and <c>probabilities</c> (their softmax); an ensemble gives
/// <c>probabilities</c>, the mean of its members' softmax outputs, as <see cref="EnsembleClassifier.Predict"/> does.
/// Tensor names are the model file's (<c>0.weight</c>; <c>m0.0.weight</c> in an ensemble).
/// A calibrated model (a <c>temperature</c> other than 1, see <see cref="Evaluation.TemperatureScaling"/>) gives
/// calibrated <c>probabilities</c>, as <see cref="CalibratedModel.Predict"/> does: a CNN's are softmax(logits / T), and
/// <c>logits</c> stay the network's own; an ensemble's are softmax(ln p̄ / T) of the mean p̄, which is p̄^(1/T)
/// renormalized. At T = 1 the graph has no extra nodes.
/// </remarks>
public static class CnnOnnxExporter
{
    public const string InputName = "input";
    public const string LogitsName = "logits";
    public const string ProbabilitiesName = "probabilities";

    /// <summary>The initializer that holds T in a calibrated model's graph.</summary>
    public const string TemperatureName = "temperature";

    /// <param name="temperature">T from the model file's <c>calibration</c>; 1 for none.</param>
    /// <exception cref="DigitsException">The file cannot be written.</exception>
    public static void Export(CnnClassifier model, string path, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder("digits-cnn");
        string input = graph.Input(InputName, [-1, .. model.CnnArchitecture.Input.Dimensions]);
        string logits = AddNetwork(graph, model, input, "");
        int classes = model.Labels.Count;
        graph.Output(logits, LogitsName, -1, classes);
        graph.Output(graph.Softmax(DivideByTemperature(graph, logits, temperature), axis: 1), ProbabilitiesName, -1, classes);
        graph.Save(path);
    }

    /// <summary><paramref name="scores"/> / T, or <paramref name="scores"/> itself at T = 1.</summary>
    internal static string DivideByTemperature(OnnxGraphBuilder graph, string scores, double temperature)
    {
        if (!(temperature > 0 && double.IsFinite(temperature)))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be positive and finite");
        return temperature == 1 ? scores : graph.Div(scores, graph.Initializer(TemperatureName, [(float)temperature]));
    }

    /// <param name="temperature">T from the model file's <c>calibration</c>; 1 for none.</param>
    /// <exception cref="DigitsException">The file cannot be written.</exception>
    public static void Export(EnsembleClassifier model, string path, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder("digits-ensemble");
        string input = graph.Input(InputName, [-1, .. model.Members[0].CnnArchitecture.Input.Dimensions]);
        string? sum = null;
        for (int i = 0; i < model.Members.Count; i++)
        {
            string prefix = EnsembleClassifier.MemberPrefix(i);
            string probabilities = graph.Softmax(AddNetwork(graph, model.Members[i], input, prefix), axis: 1, name: prefix + ProbabilitiesName);
            sum = sum is null ? probabilities : graph.Add(sum, probabilities);
        }
        string count = graph.Initializer("members", [(float)model.Members.Count]);
        string mean = graph.Div(sum!, count);
        if (temperature != 1)
            mean = graph.Softmax(DivideByTemperature(graph, graph.Log(mean), temperature), axis: 1);
        graph.Output(mean, ProbabilitiesName, -1, model.Labels.Count);
        graph.Save(path);
    }

    /// <summary>Adds one network's nodes and weights (names prefixed by <paramref name="prefix"/>) and returns its logits.</summary>
    private static string AddNetwork(OnnxGraphBuilder graph, CnnClassifier model, string input, string prefix)
    {
        ParameterStore store = model.Parameters;
        var values = store.Parameters.ToDictionary(v => v.Name);
        var buffers = store.BufferViews.ToDictionary(v => v.Name);
        string Weight(string name) => graph.Initializer(prefix + name, store.Value(values[name]), [.. values[name].Shape]);
        string Buffer(string name) => graph.Initializer(prefix + name, store.Buffer(buffers[name]), [.. buffers[name].Shape]);

        string x = input;
        if (model.CnnArchitecture.Standardization is { } s)
        {
            x = graph.Div(graph.Sub(x, graph.Initializer(prefix + "input.mean", [s.Mean])), graph.Initializer(prefix + "input.std", [s.Std]));
        }
        IReadOnlyList<LayerSpec> layers = model.CnnArchitecture.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            string p = $"{i}.";
            x = layers[i] switch
            {
                Conv2dSpec c => graph.Conv(x, Weight(p + "weight"), Weight(p + "bias"), [c.Kernel, c.Kernel],
                    [c.Stride, c.Stride], [c.Padding, c.Padding, c.Padding, c.Padding]),
                MaxPool2dSpec m => graph.MaxPool(x, [m.Kernel, m.Kernel], [m.Stride ?? m.Kernel, m.Stride ?? m.Kernel]),
                AvgPool2dSpec a => graph.AveragePool(x, [a.Kernel, a.Kernel], [a.Stride ?? a.Kernel, a.Stride ?? a.Kernel]),
                GlobalAvgPoolSpec => graph.Flatten(graph.GlobalAveragePool(x)),
                LinearSpec => graph.Gemm(x, Weight(p + "weight"), Weight(p + "bias"), transB: true),
                ReluSpec => graph.Relu(x),
                BatchNormSpec => graph.BatchNormalization(x, Weight(p + "weight"), Weight(p + "bias"),
                    Buffer(p + "running_mean"), Buffer(p + "running_var"), BatchNorm.Epsilon),
                DropoutSpec => x,
                FlattenSpec => graph.Flatten(x),
                _ => throw new NotSupportedException($"layer {i} ({layers[i].GetType().Name}) has no ONNX mapping"),
            };
        }
        return x;
    }
}
