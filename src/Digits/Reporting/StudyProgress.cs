namespace Digits.Reporting;

/// <summary>One stage of a study report, e.g. <c>2 svm-tuning: 3-fold CV of the RBF SVM over C × γ</c>.</summary>
/// <param name="Number">1-based position among the report's stages.</param>
/// <param name="Name">A short fixed name: <c>logreg</c>, <c>svm-tuning</c>, <c>svm</c>, <c>cnn-fast</c>.</param>
/// <param name="What">A sentence for people, with the image counts.</param>
/// <param name="ExpectedSeconds">Roughly how long the stage takes at scale 1 on the two-core AMD EPYC machine the
/// report's defaults were measured on (docs/benchmarks.md); only the stages' ratios are used, to estimate the time left
/// from the time the finished ones took.</param>
public sealed record StudyStage(int Number, string Name, string What, double ExpectedSeconds = 1);

public enum StudyEvent
{
    Started,
    Advanced,
    Finished,
}

/// <summary>
/// What a running report says: a stage started, moved on (a cross-validation trial or a training batch), or finished.
/// <see cref="Done"/> of <see cref="Total"/> measures a stage that has steps (0 of 0 for a fit without them, such as
/// L-BFGS or SMO). <see cref="Line"/>, when set, is a fixed-format log line for a plain log (an epoch or a trial).
/// </summary>
public sealed record StudyProgress(StudyStage Stage, StudyEvent Event, double Done = 0, double Total = 0, string? Line = null);
