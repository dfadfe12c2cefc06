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
/// An SVM gives margins, not probabilities. <see cref="LinearModel.Predict"/> reports softmax(f(x)): a monotone map of the
/// decision values, so its argmax is the SVM's decision and it sums to 1 as <see cref="IClassifier"/> requires, but it
/// is not a calibrated probability model (Platt scaling would be; one-vs-rest margins of about ±1 give soft outputs).
/// </remarks>
public sealed class LinearSvm : LinearModel
{
    /// <param name="weights">classes × 784, row-major; kept, not copied.</param>
    /// <param name="bias">One per class; kept, not copied.</param>
    /// <param name="multiclass">How the classes were trained; recorded in <see cref="Architecture"/>.</param>
    /// <param name="loss">The binary loss of one-vs-rest; null for Crammer–Singer, which has its own.</param>
    /// <param name="labels">Class labels in output order; <see cref="ModelMetadata.DigitLabels"/> when null.</param>
    public LinearSvm(float[] weights, float[] bias, bool deskew, LinearSvmMulticlass multiclass, LinearSvmLoss? loss,
        IReadOnlyList<string>? labels = null)
        : base(weights, bias, deskew, labels)
    {
        if ((multiclass == LinearSvmMulticlass.OneVsRest) != loss.HasValue)
            throw new ArgumentException("one-vs-rest needs a binary loss, and Crammer–Singer takes none", nameof(loss));
        Loss = loss;
        Multiclass = multiclass;
    }

    public override string Kind => ModelKind.LinearSvm;

    /// <summary>The binary loss of a one-vs-rest model; null for Crammer–Singer.</summary>
    public LinearSvmLoss? Loss { get; }

    public LinearSvmMulticlass Multiclass { get; }

    /// <summary>
    /// For example <c>{"inputs":784,"classes":10,"multiclass":"one-vs-rest","loss":"squared-hinge",...}</c>;
    /// <c>loss</c> only for one-vs-rest.
    /// </summary>
    public override string Architecture
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

    /// <summary>The decision values W·x + b, (count, classes); positive means "this class" to that class's SVM.
    /// <see cref="LinearModel.Predict"/> reports their softmax (see the remarks on what that is and is not).</summary>
    public void DecisionValues(ReadOnlySpan<byte> images, int count, Span<float> values) => Scores(images, count, values);

    /// <summary>The model a <c>linear-svm</c> file holds, predicting bit-identically to the one saved.</summary>
    /// <exception cref="DigitsException">The file is of another kind, or its architecture or tensors are wrong.</exception>
    public static LinearSvm FromModelFile(ModelFile file)
    {
        var (weights, bias) = ReadTensors(file, ModelKind.LinearSvm);
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
        return new LinearSvm(weights, bias, file.Metadata.Preprocessing.Deskew, multiclass, loss, file.Metadata.Labels);
    }

    private static string LossName(LinearSvmLoss loss) => loss == LinearSvmLoss.Hinge ? "hinge" : "squared-hinge";

    private static string MulticlassName(LinearSvmMulticlass multiclass) =>
        multiclass == LinearSvmMulticlass.OneVsRest ? "one-vs-rest" : "crammer-singer";

    private static string? StringProperty(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;
}
