using System.Globalization;
using System.Text.Json;

namespace Digits.Persistence;

/// <summary>
/// The <c>__metadata__</c> of a Digits model file (shared CONTRACT.md, "Files"). Safetensors metadata maps strings
/// to strings, so JSON-valued fields (<c>labels</c>, <c>architecture</c>, <c>preprocessing</c>, <c>metrics</c>,
/// <c>calibration</c>) are JSON text inside the string, and <c>seed</c> is a decimal integer. <c>format</c> carries the
/// version: a reader refuses any version it was not built for rather than guess at its meaning. <c>calibration</c>,
/// <c>min_confidence</c> and <c>min_confidence_basis</c> are optional, so files written before they existed still load
/// (as uncalibrated models with the default threshold).
/// </summary>
public sealed record ModelMetadata
{
    /// <summary>The format version this build writes and reads.</summary>
    public const string CurrentFormat = "digits-model/1";

    private const string FormatFamily = "digits-model/";

    /// <summary>One of <see cref="ModelKind.All"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The training recipe of a CNN (<c>cnn</c>, <c>cnn-fast</c>, <c>keras</c>); null for other kinds.</summary>
    public string? Recipe { get; init; }

    /// <summary>Class labels in output order: <see cref="DigitLabels"/> for a digit model, others after fine-tuning.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>JSON text describing the network or classifier; its shape belongs to the model kind's loader.</summary>
    public required string Architecture { get; init; }

    public required Preprocessing Preprocessing { get; init; }

    /// <summary>The command line that trained the model, so it can be made again.</summary>
    public required string Command { get; init; }

    public required long Seed { get; init; }

    /// <summary>A JSON object of evaluation results, e.g. <c>{"test_accuracy": 0.9921}</c>; accuracies are fractions in 0–1.</summary>
    public required string Metrics { get; init; }

    /// <summary>Lower-case hex SHA-256 of the training data.</summary>
    public required string TrainDataSha256 { get; init; }

    /// <summary>Lower-case hex SHA-256 of the model file this one was fine-tuned from; null if trained from scratch.</summary>
    public string? Parent { get; init; }

    /// <summary>
    /// The temperature fitted on the validation split and its effect on calibration error; null for a model trained
    /// without one (and for every file written before calibration existed), which then predicts uncalibrated.
    /// </summary>
    public Calibration? Calibration { get; init; }

    /// <summary>
    /// The default threshold, 0–1, below which <c>predict</c> answers <c>unsure</c> rather than give a digit: the top
    /// probability (after calibration) must be at least this. Chosen on labelled validation pictures by
    /// <c>Evaluation.ConfidenceThreshold</c> (<c>digits model threshold</c>); null when not chosen, and then
    /// <c>DigitModel.DefaultMinConfidence</c> (0.5) applies.
    /// </summary>
    public double? MinConfidence { get; init; }

    /// <summary>
    /// How <see cref="MinConfidence"/> was chosen, as a JSON object (the pictures' folder name, their count, the
    /// target and reached precision); null when not recorded.
    /// </summary>
    public string? MinConfidenceBasis { get; init; }

    /// <summary>The labels of a digit model: "0" to "9".</summary>
    public static IReadOnlyList<string> DigitLabels { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>The safetensors <c>__metadata__</c> entries; <c>recipe</c>, <c>parent</c>, <c>calibration</c>,
    /// <c>min_confidence</c> and <c>min_confidence_basis</c> only when set.</summary>
    /// <exception cref="ArgumentException">A field would make a file that <see cref="FromDictionary"/> refuses.</exception>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        if (!ModelKind.IsKnown(Kind))
            throw new ArgumentException($"unknown model kind '{Kind}'", nameof(Kind));
        if (Labels.Count == 0 || Labels.Contains(null) || Labels.Distinct(StringComparer.Ordinal).Count() != Labels.Count)
            throw new ArgumentException("labels must be non-empty, distinct strings", nameof(Labels));
        foreach (var (field, json, kind) in new[] { ("architecture", Architecture, (JsonValueKind?)null), ("metrics", Metrics, JsonValueKind.Object) })
        {
            if (JsonProblem(json, kind) is { } problem)
                throw new ArgumentException($"{field} {problem}", field);
        }
        if (Calibration?.Problem() is { } calibrationProblem)
            throw new ArgumentException($"calibration {calibrationProblem}", nameof(Calibration));
        if (MinConfidence is { } minConfidence && MinConfidenceProblem(minConfidence) is { } thresholdProblem)
            throw new ArgumentException($"min_confidence {thresholdProblem}", nameof(MinConfidence));
        if (MinConfidenceBasis is not null && JsonProblem(MinConfidenceBasis, JsonValueKind.Object) is { } basisProblem)
            throw new ArgumentException($"min_confidence_basis {basisProblem}", nameof(MinConfidenceBasis));
        var entries = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = CurrentFormat,
            ["kind"] = Kind,
            ["labels"] = JsonSerializer.Serialize(Labels),
            ["architecture"] = Architecture,
            ["preprocessing"] = Preprocessing.ToJson(),
            ["command"] = Command,
            ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            ["metrics"] = Metrics,
            ["train_data_sha256"] = TrainDataSha256,
        };
        if (Recipe is not null)
            entries["recipe"] = Recipe;
        if (Parent is not null)
            entries["parent"] = Parent;
        if (Calibration is not null)
            entries["calibration"] = Calibration.ToJson();
        if (MinConfidence is { } threshold)
            entries["min_confidence"] = threshold.ToString("R", CultureInfo.InvariantCulture);
        if (MinConfidenceBasis is not null)
            entries["min_confidence_basis"] = MinConfidenceBasis;
        return entries;
    }

    /// <summary>Reads and checks a file's <c>__metadata__</c>. Keys this version does not define are ignored.</summary>
    /// <param name="fileName">Names the file in error messages.</param>
    /// <exception cref="DigitsException">Not a Digits model, an unsupported version or kind, or a missing or malformed field.</exception>
    public static ModelMetadata FromDictionary(IReadOnlyDictionary<string, string> metadata, string fileName)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue("format", out string? format))
            throw new DigitsException(fileName, "not a Digits model (no format in __metadata__)");
        if (format != CurrentFormat)
        {
            throw new DigitsException(fileName, format.StartsWith(FormatFamily, StringComparison.Ordinal)
                ? $"unsupported model format {format}, this build reads {CurrentFormat}"
                : $"not a Digits model (format '{format}' in __metadata__)");
        }

        string Required(string key) => metadata.TryGetValue(key, out string? value)
            ? value
            : throw new DigitsException(fileName, $"__metadata__ has no '{key}'");

        DigitsException Bad(string key, string problem) => new(fileName, $"__metadata__ '{key}' {problem}");

        string JsonField(string key, JsonValueKind? kind)
        {
            string json = Required(key);
            return JsonProblem(json, kind) is { } problem ? throw Bad(key, problem) : json;
        }

        string kind = Required("kind");
        if (!ModelKind.IsKnown(kind))
            throw new DigitsException(fileName, $"unknown model kind '{kind}', this build reads {string.Join(", ", ModelKind.All)}");

        string[] labels;
        try
        {
            labels = JsonSerializer.Deserialize<string[]>(Required("labels")) ?? throw Bad("labels", "is null");
        }
        catch (JsonException e)
        {
            throw new DigitsException(fileName, $"__metadata__ 'labels' must be a JSON array of strings: {e.Message}", e);
        }
        if (labels.Length == 0 || labels.Contains(null) || labels.Distinct(StringComparer.Ordinal).Count() != labels.Length)
            throw Bad("labels", "must be non-empty, distinct strings");

        Preprocessing preprocessing;
        try
        {
            preprocessing = Preprocessing.Parse(Required("preprocessing"));
        }
        catch (FormatException e)
        {
            throw new DigitsException(fileName, $"__metadata__ 'preprocessing' {e.Message}", e);
        }

        string seedText = Required("seed");
        if (!long.TryParse(seedText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seed))
            throw Bad("seed", $"is '{seedText}', expected an integer");

        Calibration? calibration = null;
        if (metadata.TryGetValue("calibration", out string? calibrationJson))
        {
            try
            {
                calibration = Calibration.Parse(calibrationJson);
            }
            catch (FormatException e)
            {
                throw new DigitsException(fileName, $"__metadata__ 'calibration' {e.Message}", e);
            }
        }

        double? minConfidence = null;
        if (metadata.TryGetValue("min_confidence", out string? minConfidenceText))
        {
            if (!double.TryParse(minConfidenceText, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw Bad("min_confidence", $"is '{minConfidenceText}', expected a number from 0 to 1");
            if (MinConfidenceProblem(value) is { } problem)
                throw Bad("min_confidence", problem);
            minConfidence = value;
        }
        string? basis = null;
        if (metadata.TryGetValue("min_confidence_basis", out string? basisJson))
            basis = JsonProblem(basisJson, JsonValueKind.Object) is { } problem ? throw Bad("min_confidence_basis", problem) : basisJson;

        return new ModelMetadata
        {
            Kind = kind,
            Recipe = metadata.GetValueOrDefault("recipe"),
            Labels = labels,
            Architecture = JsonField("architecture", null),
            Preprocessing = preprocessing,
            Command = Required("command"),
            Seed = seed,
            Metrics = JsonField("metrics", JsonValueKind.Object),
            TrainDataSha256 = Required("train_data_sha256"),
            Parent = metadata.GetValueOrDefault("parent"),
            Calibration = calibration,
            MinConfidence = minConfidence,
            MinConfidenceBasis = basis,
        };
    }

    /// <summary>Value equality, with <see cref="Labels"/> compared element by element.</summary>
    public bool Equals(ModelMetadata? other) =>
        other is not null
        && Kind == other.Kind && Recipe == other.Recipe && Labels.SequenceEqual(other.Labels)
        && Architecture == other.Architecture && Preprocessing == other.Preprocessing && Command == other.Command
        && Seed == other.Seed && Metrics == other.Metrics && TrainDataSha256 == other.TrainDataSha256 && Parent == other.Parent
        && Calibration == other.Calibration && MinConfidence == other.MinConfidence && MinConfidenceBasis == other.MinConfidenceBasis;

    public override int GetHashCode() => HashCode.Combine(Kind, Recipe, Labels.Count, Architecture, Seed, TrainDataSha256);

    /// <summary>Why <paramref name="threshold"/> cannot be a <see cref="MinConfidence"/>, or null if it can.</summary>
    private static string? MinConfidenceProblem(double threshold) => threshold is >= 0 and <= 1
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"is {threshold}, expected 0 to 1");

    /// <summary>Why <paramref name="json"/> is not valid JSON of the wanted kind (any kind when null), or null if it is.</summary>
    private static string? JsonProblem(string json, JsonValueKind? kind)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return kind is { } k && document.RootElement.ValueKind != k
                ? $"must be a JSON {k.ToString().ToLowerInvariant()}, found {document.RootElement.ValueKind.ToString().ToLowerInvariant()}"
                : null;
        }
        catch (JsonException e)
        {
            return $"is not valid JSON: {e.Message}";
        }
    }
}
