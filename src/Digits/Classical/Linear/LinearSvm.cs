using System.Text.Json;
using System.Text.Json.Nodes;
using Digits.Persistence;

namespace Digits.Classical;

/// <summary>
/// A linear SVM on pixels / 255, one-vs-rest or Crammer–Singer: class c scores f_c(x) = W[c]·x + b[c] and the
/// highest score wins.
/// Trained by <see cref="LinearSvmTrainer"/>; saved as kind <c>linear-svm</c> with tensors <c>weight</c> [10, 784] and
/// <c>bias</c> [10].
/// </summary>
/// <remarks>
/// An SVM gives margins, not probabilities. <see cref="Predict"/> reports softmax(f(x)): a monotone map of the
/// decision values, so its argmax is the SVM's decision and it sums to 1 as <see cref="IClassifier"/> requires, but it
/// is not a calibrated probability model (Platt scaling would be; one-vs-rest margins of about ±1 give soft outputs).
/// </remarks>
public sealed class LinearSvm : IPersistableModel
{
    private readonly float[] weights;
    private readonly float[] bias;

    /// <param name="weights">classes × 784, row-major; kept, not copied.</param>
    /// <param name="bias">One per class; kept, not copied.</param>
    /// <param name="multiclass">How the classes were trained; recorded in <see cref="Architecture"/>.</param>
    /// <param name="loss">The binary loss of one-vs-rest; null for Crammer–Singer, which has its own.</param>
    /// <param name="labels">Class labels in output order; <see cref="ModelMetadata.DigitLabels"/> when null.</param>
    public LinearSvm(float[] weights, float[] bias, bool deskew, LinearSvmMulticlass multiclass, LinearSvmLoss? loss,
        IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        Labels = labels ?? ModelMetadata.DigitLabels;
        if (bias.Length != Labels.Count)
            throw new ArgumentException($"has {bias.Length} values for {Labels.Count} classes", nameof(bias));
        if (weights.Length != Labels.Count * PixelFeatures.Count)
            throw new ArgumentException($"has {weights.Length} values, {Labels.Count} classes × {PixelFeatures.Count} pixels need {Labels.Count * PixelFeatures.Count}", nameof(weights));
        if ((multiclass == LinearSvmMulticlass.OneVsRest) != loss.HasValue)
            throw new ArgumentException("one-vs-rest needs a binary loss, and Crammer–Singer takes none", nameof(loss));
        this.weights = weights;
        this.bias = bias;
        Loss = loss;
        Multiclass = multiclass;
        Preprocessing = new Preprocessing(deskew);
    }

    public string Name => ModelKind.LinearSvm;

    public IReadOnlyList<string> Labels { get; }

    public string Kind => ModelKind.LinearSvm;

    public string? Recipe => null;

    /// <summary>The binary loss of a one-vs-rest model; null for Crammer–Singer.</summary>
    public LinearSvmLoss? Loss { get; }

    public LinearSvmMulticlass Multiclass { get; }

    /// <summary>
    /// For example <c>{"inputs":784,"classes":10,"multiclass":"one-vs-rest","loss":"squared-hinge",...}</c>;
    /// <c>loss</c> only for one-vs-rest.
    /// </summary>
    public string Architecture
    {
        get
        {
            var json = new JsonObject { ["inputs"] = PixelFeatures.Count, ["classes"] = Labels.Count, ["multiclass"] = MulticlassName(Multiclass) };
            if (Loss is { } loss)
                json["loss"] = LossName(loss);
            json["probabilities"] = "softmax-of-decision-values";
            return json.ToJsonString();
        }
    }

    public Preprocessing Preprocessing { get; }

    /// <summary>W, (classes, 784) row-major, for x = pixels / 255.</summary>
    public ReadOnlySpan<float> Weights => weights;

    public ReadOnlySpan<float> Bias => bias;

    /// <summary>softmax of <see cref="DecisionValues"/> (see the remarks on what that is and is not).</summary>
    public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities) =>
        LinearScores.Probabilities(images, count, Preprocessing.Deskew, weights, bias, Labels.Count, probabilities);

    /// <summary>The decision values W·x + b, (count, classes); positive means "this class" to that class's SVM.</summary>
    public void DecisionValues(ReadOnlySpan<byte> images, int count, Span<float> values) =>
        LinearScores.Compute(images, count, Preprocessing.Deskew, weights, bias, Labels.Count, values);

    public IEnumerable<TensorData> Tensors() =>
    [
        TensorData.FromFloats("weight", weights, Labels.Count, PixelFeatures.Count),
        TensorData.FromFloats("bias", bias, Labels.Count),
    ];

    /// <summary>The model a <c>linear-svm</c> file holds, predicting bit-identically to the one saved.</summary>
    /// <exception cref="DigitsException">The file is of another kind, or its architecture or tensors are wrong.</exception>
    public static LinearSvm FromModelFile(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Metadata.Kind != ModelKind.LinearSvm)
            throw new DigitsException(file.Name, $"is a '{file.Metadata.Kind}' model, not '{ModelKind.LinearSvm}'");
        string? lossName, multiclassName;
        using (var architecture = JsonDocument.Parse(file.Metadata.Architecture))
        {
            lossName = StringProperty(architecture.RootElement, "loss");
            multiclassName = StringProperty(architecture.RootElement, "multiclass");
        }
        LinearSvmMulticlass multiclass = multiclassName == MulticlassName(LinearSvmMulticlass.OneVsRest) ? LinearSvmMulticlass.OneVsRest
            : multiclassName == MulticlassName(LinearSvmMulticlass.CrammerSinger) ? LinearSvmMulticlass.CrammerSinger
            : throw new DigitsException(file.Name, $"architecture 'multiclass' is '{multiclassName}', expected 'one-vs-rest' or 'crammer-singer'");
        LinearSvmLoss? loss = multiclass == LinearSvmMulticlass.CrammerSinger ? null
            : lossName == LossName(LinearSvmLoss.Hinge) ? LinearSvmLoss.Hinge
            : lossName == LossName(LinearSvmLoss.SquaredHinge) ? LinearSvmLoss.SquaredHinge
            : throw new DigitsException(file.Name, $"architecture 'loss' is '{lossName}', expected 'hinge' or 'squared-hinge'");
        int classes = file.Metadata.Labels.Count;
        return new LinearSvm(
            file.RequireFloats("weight", classes, PixelFeatures.Count), file.RequireFloats("bias", classes),
            file.Metadata.Preprocessing.Deskew, multiclass, loss, file.Metadata.Labels);
    }

    private static string LossName(LinearSvmLoss loss) => loss == LinearSvmLoss.Hinge ? "hinge" : "squared-hinge";

    private static string MulticlassName(LinearSvmMulticlass multiclass) =>
        multiclass == LinearSvmMulticlass.OneVsRest ? "one-vs-rest" : "crammer-singer";

    private static string? StringProperty(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;
}
