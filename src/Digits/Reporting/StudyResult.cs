using Digits.Evaluation;
using Digits.Tuning;

namespace Digits.Reporting;

/// <summary>One finished model of a study: how it was trained, its test figures and the figure it is compared with.</summary>
/// <param name="Name">The registry name, e.g. <c>logreg</c>, <c>svm</c>, <c>cnn-fast</c>.</param>
/// <param name="Kind">The model file's kind (<c>logreg</c>, <c>svm</c>, <c>cnn</c>).</param>
/// <param name="Description">What was trained on what, e.g. <c>softmax regression, all 60,000 training images</c>.</param>
/// <param name="Parameters">The settings that matter for the comparison (C and γ for the SVM, epochs for the CNN).</param>
/// <param name="Test">The whole test split's evaluation.</param>
/// <param name="TrainSeconds">Wall-clock seconds of the fit.</param>
/// <param name="Published">The notebook's figure for this kind of model, 0–1, or null.</param>
/// <param name="PublishedBy">How charts name that figure, e.g. <c>notebook SVM</c>.</param>
/// <param name="ModelPath">The saved model file.</param>
/// <param name="History">Per-epoch figures, for models trained in epochs.</param>
public sealed record StudyModel(
    string Name, string Kind, string Description, int TrainCount, IReadOnlyDictionary<string, double> Parameters,
    EvaluationResult Test, double TrainSeconds, double? Published, string? PublishedBy, string ModelPath,
    IReadOnlyList<LearningCurvePoint>? History)
{
    /// <summary>Taken from a model file instead of trained by the report (the full report's ensemble).</summary>
    public bool Reused { get; init; }

    /// <summary>Images held out for validation (and calibration); 0 without a split.</summary>
    public int ValidationCount { get; init; }

    /// <summary>The test split's ECE before temperature scaling, for a calibrated model; null otherwise.</summary>
    public double? EceUncalibrated { get; init; }

    /// <summary>The temperature fitted on the validation images, for a calibrated model.</summary>
    public double? Temperature { get; init; }

    /// <summary>Seconds the test pass's predictions took (model time only).</summary>
    public double PredictSeconds => Test.Seconds;

    /// <summary>Whether our test accuracy is above the published figure (null without one).</summary>
    public bool? BeatsPublished => Published is double p ? Test.Accuracy > p : null;
}

/// <summary>The cross-validated search that chose a model's settings.</summary>
/// <param name="Model">The model whose settings it chose, e.g. <c>svm</c>.</param>
/// <param name="TrainCount">Images the folds were drawn from (the model's own training images).</param>
public sealed record StudyTuning(string Model, ParameterGrid Grid, string GridSpec, SearchResult Search, int TrainCount, double Seconds);

/// <summary>A file the report wrote, and what it shows (the caption results.md gives it).</summary>
public sealed record StudyFile(string Path, string Caption);

/// <summary>How a study report ended.</summary>
/// <param name="Models">The models that finished, in stage order.</param>
/// <param name="Tuning">The SVM's search, if it finished.</param>
/// <param name="Files">Every file written, results.json and results.md last.</param>
/// <param name="Interrupted">Stopped before its end (Ctrl+C): what finished is kept and written.</param>
/// <param name="NotRun">Stages that did not finish, by name.</param>
/// <param name="Notes">Things a reader of the results should know, e.g. that the learning curve has no validation line.</param>
public sealed record StudyResult(
    IReadOnlyList<StudyModel> Models, StudyTuning? Tuning, IReadOnlyList<StudyFile> Files, bool Interrupted,
    IReadOnlyList<string> NotRun, IReadOnlyList<string> Notes, double Seconds, MachineInfo Machine, DateTimeOffset Started)
{
    /// <summary>Every stage of the plan, run or not, so a table can show a row for a model that did not run.</summary>
    public IReadOnlyList<StudyStage> Stages { get; init; } = [];
}
