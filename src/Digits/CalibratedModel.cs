using Digits.Evaluation;
using Digits.Persistence;

namespace Digits;

/// <summary>
/// A model with a fitted temperature (see <see cref="TemperatureScaling"/>): it predicts the underlying model's
/// probabilities raised to 1/T and renormalized, and otherwise is that model: the same kind, architecture,
/// preprocessing and tensors, so saving it writes the same tensors and <see cref="ModelLoader"/> wraps the loaded model
/// again when the file's metadata has a <c>calibration</c>.
/// </summary>
/// <remarks>
/// One wrapper rather than a temperature inside each of the five model types: the transform works on probabilities,
/// which every kind gives, so it is written once; the models stay as they were trained; and a file without
/// <c>calibration</c> is loaded as the bare model, with predictions bit-identical to before. What needs the
/// concrete model (ONNX export, a layer summary) takes <see cref="Model"/> and <see cref="Temperature"/>.
/// Thread-safe as the underlying model is.
/// </remarks>
public sealed class CalibratedModel : IPersistableModel
{
    /// <param name="model">The uncalibrated model; a <see cref="CalibratedModel"/> is unwrapped first, so temperatures never stack.</param>
    /// <param name="temperature">T, within [<see cref="Calibration.MinTemperature"/>, <see cref="Calibration.MaxTemperature"/>].</param>
    public CalibratedModel(IPersistableModel model, double temperature)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(temperature >= Calibration.MinTemperature && temperature <= Calibration.MaxTemperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"must be in [{Calibration.MinTemperature}, {Calibration.MaxTemperature}]");
        Model = Uncalibrated(model);
        Temperature = temperature;
    }

    /// <summary>The model as trained, without the temperature.</summary>
    public IPersistableModel Model { get; }

    public double Temperature { get; }

    public string Name => Model.Name;

    public IReadOnlyList<string> Labels => Model.Labels;

    public IReadOnlyList<ModelLayer>? Layers() => Model.Layers();

    public string Kind => Model.Kind;

    public string? Recipe => Model.Recipe;

    public string Architecture => Model.Architecture;

    public Preprocessing Preprocessing => Model.Preprocessing;

    public IEnumerable<TensorData> Tensors() => Model.Tensors();

    public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        Model.Predict(images, count, probabilities);
        TemperatureScaling.Apply(probabilities, probabilities, count, Labels.Count, Temperature);
    }

    /// <summary>The model without any temperature: <paramref name="model"/> itself unless it is a <see cref="CalibratedModel"/>.</summary>
    public static IPersistableModel Uncalibrated(IPersistableModel model) => model is CalibratedModel calibrated ? calibrated.Model : model;

    /// <summary>The temperature <paramref name="model"/> applies: 1 unless it is a <see cref="CalibratedModel"/>.</summary>
    public static double TemperatureOf(IPersistableModel model) => model is CalibratedModel calibrated ? calibrated.Temperature : 1;
}
