using System.Text.Json;
using Digits.Neural;
using Digits.Neural.Optimizers;
using Xunit.Abstractions;

namespace Digits.Tests.Neural;

/// <summary>
/// Compares our engine with PyTorch on tests/golden/small_net.json, written once by tests/golden/make_golden.py
/// (conv-bn-relu-maxpool-conv-relu-avgpool-flatten-linear-dropout-linear, cross-entropy with label smoothing,
/// one Adam step).
/// </summary>
public class NetworkGoldenTests(ITestOutputHelper output)
{
    private const double Tolerance = 2e-5;

    [Fact]
    public void Forward_backward_and_adam_match_pytorch()
    {
        using JsonDocument golden = JsonDocument.Parse(File.ReadAllText(FindGoldenFile()));
        JsonElement root = golden.RootElement;
        IReadOnlyList<LayerSpec> specs = Architecture.FromJson(root.GetProperty("architecture").GetRawText());
        int[] inputShape = root.GetProperty("inputShape").Deserialize<int[]>()!;
        int batch = root.GetProperty("batch").GetInt32();
        var network = new Network(new SampleShape(inputShape[0], inputShape[1], inputShape[2]), specs, batch, 1);
        ParameterStore store = network.Parameters;
        foreach (ParameterView view in store.Parameters)
        {
            Floats(root.GetProperty("parameters").GetProperty(view.Name)).CopyTo(store.Value(view));
        }

        float[] inputs = Floats(root.GetProperty("inputs"));
        int[] labels = root.GetProperty("labels").Deserialize<int[]>()!;
        ReadOnlySpan<float> logits = network.Forward(inputs, batch, true);
        var worst = new List<(string Name, double Difference)> { ("logits", MaxDifference(logits, Floats(root.GetProperty("logits")))) };
        float[] dlogits = new float[logits.Length];
        float loss = SoftmaxCrossEntropy.Compute(logits, labels, batch, network.OutputShape.Size,
            root.GetProperty("labelSmoothing").GetSingle(), dlogits);
        worst.Add(("loss", Math.Abs(loss - root.GetProperty("loss").GetDouble())));
        float[] dinputs = new float[inputs.Length];
        network.Backward(dlogits, dinputs);
        worst.Add(("input gradient", MaxDifference(dinputs, Floats(root.GetProperty("inputGradient")))));
        foreach (ParameterView view in store.Parameters)
        {
            worst.Add(($"d{view.Name}", MaxDifference(store.Gradient(view), Floats(root.GetProperty("gradients").GetProperty(view.Name)))));
        }
        foreach (ParameterView view in store.BufferViews)
        {
            worst.Add((view.Name, MaxDifference(store.Buffer(view), Floats(root.GetProperty("buffersAfterForward").GetProperty(view.Name)))));
        }
        // Adam from PyTorch's own gradients: the conv bias before BatchNorm has a true gradient of 0, so its
        // rounding noise, which Adam's normalization blows up to ±lr, must be the same noise on both sides.
        foreach (ParameterView view in store.Parameters)
        {
            Floats(root.GetProperty("gradients").GetProperty(view.Name)).CopyTo(store.Gradient(view));
        }
        new Adam(store).Step(root.GetProperty("learningRate").GetSingle());
        foreach (ParameterView view in store.Parameters)
        {
            worst.Add(($"{view.Name} after Adam", MaxDifference(store.Value(view), Floats(root.GetProperty("parametersAfterAdam").GetProperty(view.Name)))));
        }

        (string name, double largest) = worst.MaxBy(w => w.Difference);
        output.WriteLine($"largest difference from PyTorch: {largest:E3} in {name}");
        Assert.True(largest < Tolerance, $"largest difference from PyTorch: {largest:E3} in {name}");
    }

    private static float[] Floats(JsonElement element) => element.Deserialize<float[]>()!;

    private static double MaxDifference(ReadOnlySpan<float> actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(actual[i] - (double)expected[i]));
        }
        return max;
    }

    private static string FindGoldenFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "golden", "small_net.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("tests/golden/small_net.json not found above " + AppContext.BaseDirectory);
    }
}
