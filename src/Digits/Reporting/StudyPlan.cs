using Digits.Data;

namespace Digits.Reporting;

/// <summary>What one study report is asked to do: the notebook's three models, on this data, into these files.</summary>
public sealed record StudyPlan
{
    /// <summary>The dataset: models train on (parts of) its training split and are measured on its whole test split.</summary>
    public required LoadedDataset Data { get; init; }

    /// <summary>Where the files go, checked before the data was read (<see cref="StudyOutputs.Check"/>).</summary>
    public required StudyOutputs Outputs { get; init; }

    /// <summary>
    /// Shrinks every stage's training images by this factor (1: the notebook's sizes), so that a test or CI runs the same
    /// stages in seconds; the test split is always whole. In [<see cref="MinScale"/>, 1].
    /// </summary>
    public double Scale { get; init; } = 1;

    /// <summary>The smallest <see cref="Scale"/>: 100 images for the SVM, enough for three folds of every class.</summary>
    public const double MinScale = 0.01;

    /// <summary>
    /// Every model at its best (<see cref="StudyReport.FullModels"/>) instead of the notebook's three: about 20 minutes on
    /// two cores instead of under two.
    /// </summary>
    public bool Full { get; init; }

    /// <summary>
    /// A folder of model files from <c>digits train cnn --ensemble N</c>: the full report measures the one whose recipe and
    /// training images match instead of training an ensemble, which takes longer than the whole report. Null: the
    /// ensemble row says not run.
    /// </summary>
    public string? ReuseFolder { get; init; }

    /// <summary>Seed for subsets, folds, initial weights and shuffles.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// The SVM's C × γ grid, searched by <see cref="Folds"/>-fold cross-validation on the SVM's own training images.
    /// Two values each keeps the whole default report under two minutes on two cores; they bracket the values
    /// <c>digits tune svm</c> chose on the same 10,000 images from a larger grid (C=5, γ=0.02, docs/benchmarks.md).
    /// </summary>
    public string SvmGrid { get; init; } = "C=5,10;gamma=0.02,0.05";

    public int Folds { get; init; } = 3;

    /// <summary>How sentences and galleries name the test split, e.g. <c>MNIST test</c>.</summary>
    public string TestSetName { get; init; } = "MNIST test";

    /// <summary>The command line that started the report, for results.json and the models' metadata.</summary>
    public string Command { get; init; } = "";

    /// <exception cref="InvalidOptionException">Not in [<see cref="MinScale"/>, 1].</exception>
    public static void ValidateScale(double scale)
    {
        if (!(scale >= MinScale && scale <= 1))
            throw new InvalidOptionException("--scale", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be {MinScale} to 1, got {scale}"));
    }

    /// <exception cref="InvalidOptionException">A reuse folder without the full report, which alone has an ensemble row.</exception>
    public static void ValidateReuse(bool full, string? reuseFolder)
    {
        if (reuseFolder is not null && !full)
            throw new InvalidOptionException("--reuse", "needs --full: only the full report has an ensemble row");
        if (reuseFolder is { Length: 0 })
            throw new InvalidOptionException("--reuse", "is empty; give the folder of digits train cnn --ensemble's model files");
    }

    /// <summary>The number of training images a stage that uses <paramref name="full"/> at scale 1 uses at <see cref="Scale"/>.</summary>
    public int Scaled(int full) => Math.Max(1, (int)Math.Round(full * Scale));

    /// <exception cref="InvalidOptionException">A scale or fold count out of range.</exception>
    public void Validate()
    {
        ValidateScale(Scale);
        ValidateReuse(Full, ReuseFolder);
        if (Folds is < 2 or > 20)
            throw new InvalidOptionException("--folds", $"must be 2 to 20, got {Folds}");
    }
}
