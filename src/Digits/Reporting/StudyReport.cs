using System.Diagnostics;
using System.Globalization;
using Digits.Classical;
using Digits.Data;
using Digits.Evaluation;
using Digits.Neural.Training;
using Digits.Training;
using Digits.Tuning;

namespace Digits.Reporting;

/// <summary>
/// The published notebook's study, run again in one call: softmax regression on all 60,000 training images, an RBF
/// SVM on the first 10,000 with C and γ chosen by cross-validation on those 10,000 only, and <c>cnn-fast</c> on all
/// 60,000; each measured once on the whole test split and set beside the notebook's figure (92.3%, 96.7%, 99.1%).
/// Every model trains through <see cref="TrainingSession"/> with the registry's defaults, as <c>digits train</c> would.
/// <see cref="Prepare"/> checks everything before the first fit; <see cref="Run"/> trains, draws each model's pictures as
/// it finishes and writes results.json and results.md at the end, also when it is stopped: then with what finished.
/// </summary>
public sealed class StudyReport
{
    /// <summary>The models, in the order the report trains them; their names are the registry's.</summary>
    public static IReadOnlyList<string> ModelNames { get; } = [TrainerRegistry.LogReg.Name, TrainerRegistry.Svm.Name, TrainerRegistry.CnnFast.Name];

    /// <summary>
    /// The notebook's figures by model, 0–1, and how charts name them. Its CNN is compared with <c>cnn-fast</c>, the
    /// fastest recipe here that passes 99%.
    /// </summary>
    public static IReadOnlyDictionary<string, (double Accuracy, string Source)> Published { get; } = new Dictionary<string, (double, string)>
    {
        [TrainerRegistry.LogReg.Name] = (0.923, "notebook logreg"),
        [TrainerRegistry.Svm.Name] = (0.967, "notebook SVM"),
        [TrainerRegistry.CnnFast.Name] = (0.991, "notebook CNN"),
    };

    /// <summary>The SVM trains on the first this many training images, as the notebook (and scikit-learn's anchors) do.</summary>
    public const int SvmTrainCount = 10_000;

    /// <summary>The model whose reliability diagram the report draws: softmax regression, whose confidences spread
    /// over many bins, where the SVM's and the CNN's nearly all fall in the last one.</summary>
    public const string ReliabilityModel = "logreg";

    private const string TuningStage = "svm-tuning";

    private readonly StudyPlan plan;
    private readonly ParameterGrid grid;
    private readonly int fullCount, svmCount;

    /// <summary>What the running report has found a reader should know.</summary>
    private List<string> notes = [];

    /// <summary>Every file the running report has written, in order.</summary>
    private List<StudyFile> files = [];

    private StudyReport(StudyPlan plan, ParameterGrid grid, int fullCount, int svmCount)
    {
        this.plan = plan;
        this.grid = grid;
        this.fullCount = fullCount;
        this.svmCount = svmCount;
        int epochs = TrainerRegistry.CnnFast.Defaults.Recipe.Training.Epochs;
        string axes = string.Join(" × ", grid.Axes.Select(a => $"{a.Name}={string.Join(",", a.Values.Select(Number))}"));
        Stages =
        [
            new(1, TrainerRegistry.LogReg.Name, $"softmax regression on {Images(fullCount)}"),
            new(2, TuningStage, $"{plan.Folds}-fold CV of the RBF SVM over {axes} on the first {Images(svmCount)}"),
            new(3, TrainerRegistry.Svm.Name, $"RBF SVM with the chosen C and γ on the first {Images(svmCount)}"),
            new(4, TrainerRegistry.CnnFast.Name, $"cnn-fast, {epochs} epochs on {Images(fullCount)}"),
        ];
    }

    /// <summary>The stages <see cref="Run"/> goes through, in order, so a front end can show the plan before it starts.</summary>
    public IReadOnlyList<StudyStage> Stages { get; }

    /// <summary>Checks the plan, the data's image sizes and the SVM grid, and works out every stage's image counts.</summary>
    /// <exception cref="InvalidOptionException">A scale, fold count or grid out of range.</exception>
    /// <exception cref="DigitsException">Training or test images of another size than the dataset's.</exception>
    public static StudyReport Prepare(StudyPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.Validate();
        plan.Data.RequireCatalogImageSize(DatasetSplit.Train);
        plan.Data.RequireCatalogImageSize(DatasetSplit.Test);
        ParameterGrid grid;
        try
        {
            grid = ParameterGrid.Parse(plan.SvmGrid, TrainerRegistry.Svm.TunableParameters, "svm grid");
        }
        catch (DigitsException e)
        {
            throw new InvalidOptionException(e.Subject, e.Problem);
        }
        foreach (var setting in grid.Combinations())
        {
            try
            {
                TrainerRegistry.Svm.Validate(TrainerRegistry.Svm.WithParameters(TrainerRegistry.Svm.Defaults, setting));
            }
            catch (ArgumentException e)
            {
                throw new InvalidOptionException("svm grid", $"{Format(setting)}: {e.Message}");
            }
        }
        int train = plan.Data.Train.Count;
        int svm = plan.Scaled(Math.Min(SvmTrainCount, train));
        if (svm < 20 * plan.Folds)
            throw new InvalidOptionException("--scale", $"leaves the SVM {svm} images, fewer than the {20 * plan.Folds} that {plan.Folds} folds need; use a larger --scale");
        return new StudyReport(plan, grid, plan.Scaled(train), svm);
    }

    /// <summary>
    /// Runs every stage and writes the report. A cancelled run stops within the running fit, keeps the stages that
    /// finished (their pictures are already written), and still writes results.json and results.md, marked interrupted.
    /// </summary>
    /// <param name="progress">Told when each stage starts, moves on and finishes; called on the training threads.</param>
    public StudyResult Run(IProgress<StudyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.Now;
        long clock = Stopwatch.GetTimestamp();
        var machine = MachineInfo.Current();
        var models = new List<StudyModel>();
        files = [];
        notes = plan.Scale < 1 ? [string.Create(CultureInfo.InvariantCulture, $"Scale {plan.Scale}: every model trained on {plan.Scale * 100:0.#}% of its images, so the figures are not comparable with the published ones.")] : [];
        StudyTuning? tuning = null;
        bool interrupted = false;
        try
        {
            models.Add(TrainLogReg(Stages[0], progress, cancellationToken));
            files.AddRange(Draw(models[^1]));
            tuning = TuneSvm(Stages[1], progress, cancellationToken);
            files.Add(DrawTuning(tuning));
            models.Add(TrainSvm(Stages[2], tuning, progress, cancellationToken));
            files.AddRange(Draw(models[^1]));
            models.Add(TrainCnnFast(Stages[3], progress, cancellationToken));
            files.AddRange(Draw(models[^1]));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }

        var finished = models.Select(m => m.Name).Append(tuning is null ? null : TuningStage).ToHashSet();
        string[] notRun = [.. Stages.Select(s => s.Name).Where(n => !finished.Contains(n))];
        if (models.Count > 0)
            files.Add(DrawComparison(models, machine));
        files.Add(new StudyFile(plan.Outputs.ResultsJson, "the figures as JSON"));
        files.Add(new StudyFile(plan.Outputs.ResultsMarkdown, "the table and the pictures"));
        var result = new StudyResult(models, tuning, files, interrupted, notRun, notes, Stopwatch.GetElapsedTime(clock).TotalSeconds, machine, started);
        StudyDocument.Write(plan, result);
        return result;
    }

    private StudyModel TrainLogReg(StudyStage stage, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        var entry = TrainerRegistry.LogReg;
        var options = entry.Defaults with { Seed = plan.Seed };
        return Train(stage, entry.Create(options), fullCount, first: false, $"softmax regression (C={Number(options.C)}), {Images(fullCount)}",
            new Dictionary<string, double> { ["C"] = options.C }, progress, cancellationToken);
    }

    private StudyTuning TuneSvm(StudyStage stage, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new StudyProgress(stage, StudyEvent.Started, 0, grid.Count));
        long clock = Stopwatch.GetTimestamp();
        var data = TrainingSession.TakeSubset(plan.Data.Train, svmCount, first: true, plan.Seed);
        var entry = TrainerRegistry.Svm;
        // Trials run two at a time, so each SVM fit keeps to one thread (as digits tune does).
        var shared = entry.Defaults with { Seed = plan.Seed, Threads = 1 };
        var settings = grid.Combinations();
        var gate = new Lock();
        int done = 0;
        var search = ParameterSearch.Run(data, settings, plan.Folds, plan.Seed,
            (train, p, token) => entry.Create(entry.WithParameters(shared, p)).Fit(TrainingSet.All(train), cancellationToken: token).Model,
            Math.Clamp(Tensors.WorkerPool.Threads, 1, 2), trial =>
            {
                lock (gate)
                {
                    done++;
                    progress?.Report(new StudyProgress(stage, StudyEvent.Advanced, done, settings.Count, string.Create(CultureInfo.InvariantCulture,
                        $"trial {done}/{settings.Count} {Format(trial.Parameters)} cv={trial.CvMean:F4}±{trial.CvStd:F4} time={trial.Seconds:F1}s")));
                }
            }, cancellationToken);
        var tuning = new StudyTuning(entry.Name, grid, plan.SvmGrid, search, data.Count, Stopwatch.GetElapsedTime(clock).TotalSeconds);
        progress?.Report(new StudyProgress(stage, StudyEvent.Finished, settings.Count, settings.Count, string.Create(CultureInfo.InvariantCulture,
            $"best {Format(search.Best.Parameters)} cv={search.Best.CvMean:F4} time={tuning.Seconds:F1}s")));
        return tuning;
    }

    private StudyModel TrainSvm(StudyStage stage, StudyTuning tuning, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        var entry = TrainerRegistry.Svm;
        var best = tuning.Search.Best.Parameters;
        var options = entry.WithParameters(entry.Defaults with { Seed = plan.Seed }, best);
        string chosen = string.Create(CultureInfo.InvariantCulture, $"C={Number(options.C)}, γ={Number(options.Gamma)} by {plan.Folds}-fold CV");
        return Train(stage, entry.Create(options), svmCount, first: true, $"RBF SVM ({chosen}), the first {Images(svmCount)}",
            new Dictionary<string, double> { ["C"] = options.C, ["gamma"] = options.Gamma }, progress, cancellationToken);
    }

    private StudyModel TrainCnnFast(StudyStage stage, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        var entry = TrainerRegistry.CnnFast;
        var recipe = entry.Defaults.Recipe;
        var options = entry.Defaults with { Recipe = recipe with { Training = recipe.Training with { Seed = plan.Seed } } };
        int epochs = recipe.Training.Epochs;
        var model = Train(stage, entry.Create(options), fullCount, first: false, $"cnn-fast ({epochs} epochs, Adam one-cycle), {Images(fullCount)}",
            new Dictionary<string, double> { ["epochs"] = epochs }, progress, cancellationToken);
        if (model.History is { Count: > 0 })
            notes.Add($"cnn-fast trains on every training image with no validation split (the recipe's default, as the notebook's CNN), so its learning curve shows the training loss and accuracy of its {epochs} epochs only.");
        return model;
    }

    /// <summary>Fits one model through <see cref="TrainingSession"/>, as <c>digits train</c> would, and measures it on the test split.</summary>
    private StudyModel Train(StudyStage stage, ITrainer trainer, int count, bool first, string description,
        IReadOnlyDictionary<string, double> parameters, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var session = TrainingSession.Prepare(new TrainingPlan
        {
            Trainer = trainer,
            Data = plan.Data,
            Output = plan.Outputs.Model(stage.Name),
            Seed = plan.Seed,
            ValidationFraction = 0,
            Subset = count == plan.Data.Train.Count ? null : count,
            SubsetFirst = first,
            Command = plan.Command,
        });
        progress?.Report(new StudyProgress(stage, StudyEvent.Started));
        var outcome = session.Run(progress is null ? null : new StageProgress(stage, progress), cancellationToken);
        files.Add(new StudyFile(outcome.ModelPath, outcome.Interrupted ? $"the {stage.Name} model so far" : $"the {stage.Name} model"));
        if (outcome.Interrupted || outcome.Test is not { } test)
        {
            notes.Add($"{stage.Name} was stopped before its end; its model so far is {plan.Outputs.Relative(outcome.ModelPath)}, not measured on test.");
            throw new OperationCanceledException(cancellationToken);
        }

        var (published, source) = Published.TryGetValue(stage.Name, out var p) ? p : (0, null);
        var model = new StudyModel(stage.Name, trainer.Kind, description, outcome.TrainCount, parameters, test, outcome.TrainSeconds,
            source is null ? null : published, source, outcome.ModelPath, outcome.Result.History?.Select(e => e.Point).ToArray());
        progress?.Report(new StudyProgress(stage, StudyEvent.Finished, Line: string.Create(CultureInfo.InvariantCulture,
            $"test_acc={test.Accuracy:F4} ci95=[{test.AccuracyCi95[0]:F4},{test.AccuracyCi95[1]:F4}] published={model.Published?.ToString("F3", CultureInfo.InvariantCulture) ?? "-"} train={model.TrainSeconds:F2}s predict={model.PredictSeconds:F2}s")));
        return model;
    }

    /// <summary>The pictures of one finished model: its confusion matrix and most confident mistakes, and where it has
    /// them, its learning curve and reliability diagram.</summary>
    private List<StudyFile> Draw(StudyModel model)
    {
        var outputs = plan.Outputs;
        var test = model.Test;
        string confusion = outputs.Confusion(model.Name), mistakes = outputs.Mistakes(model.Name);
        ConfusionMatrixChart.Save(test.Matrix, confusion, ConfusionMatrixChart.Title(model.Name, "test", test.Accuracy));
        int shown = Gallery.SaveMistakes(mistakes, plan.Data.Test, test, plan.Data.Dataset.Labels, model.Name, plan.TestSetName);
        var drawn = new List<StudyFile>
        {
            new(confusion, $"Confusion matrix of {model.Name} on {plan.TestSetName}: rows are true digits, columns the digits read; errors in red."),
            new(mistakes, $"The {shown} most confident mistakes of {model.Name}, each with its index, true label and the label read with its probability."),
        };
        if (model.History is { Count: > 0 } history)
        {
            string curve = outputs.LearningCurve(model.Name);
            LearningCurveChart.Save(history, curve, $"{model.Name}, {model.TrainCount:N0} training images");
            drawn.Add(new(curve, $"Learning curve of {model.Name}: training loss and accuracy per epoch (means over each epoch's batches; no validation split)."));
        }
        if (model.Name == ReliabilityModel)
        {
            string reliability = outputs.Reliability(model.Name);
            ReliabilityDiagramChart.Save(test.Reliability, reliability, ReliabilityDiagramChart.Title(model.Name, "test", test.Ece, test.Accuracy));
            drawn.Add(new(reliability, string.Create(CultureInfo.InvariantCulture,
                $"Reliability diagram of {model.Name} on {plan.TestSetName}: accuracy against confidence in {CalibrationError.BinCount} bins, ECE {test.Ece:F4}.")));
        }
        return drawn;
    }

    private StudyFile DrawTuning(StudyTuning tuning)
    {
        string path = plan.Outputs.Tuning(tuning.Model);
        SearchChart.Save(tuning.Grid, tuning.Search, path, $"{tuning.Model}, first {tuning.TrainCount:N0} training images: {plan.Folds}-fold CV accuracy");
        return new StudyFile(path, string.Create(CultureInfo.InvariantCulture,
            $"{plan.Folds}-fold cross-validated accuracy of the RBF SVM over C × γ on its {tuning.TrainCount:N0} training images; it trains with {Format(tuning.Search.Best.Parameters)}."));
    }

    private StudyFile DrawComparison(IReadOnlyList<StudyModel> models, MachineInfo machine)
    {
        string path = plan.Outputs.ModelComparison;
        var scores = models.Select(m => ModelScore.From($"{m.Name} {Count(m.TrainCount)}", m.Test, Math.Max(m.TrainSeconds, 1e-3), m.Published, m.PublishedBy)).ToArray();
        ModelComparisonChart.Save(scores, path, $"{plan.TestSetName} accuracy against training time ({machine.Cores} cores)");
        return new StudyFile(path, "Test accuracy (with its 95% interval) against training time on a log axis; the notebook's figures are the dashed lines.");
    }

    /// <summary>An image count for a label: <c>60k</c>, <c>10k</c>, or the number when it is not whole thousands.</summary>
    internal static string Count(int n) => n >= 1000 && n % 1000 == 0 ? $"{n / 1000}k" : n.ToString(CultureInfo.InvariantCulture);

    private static string Images(int n) => string.Create(CultureInfo.InvariantCulture, $"{n:N0} training images");

    internal static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    internal static string Format(IReadOnlyDictionary<string, double> parameters) =>
        string.Join(" ", parameters.Select(kv => $"{kv.Key}={Number(kv.Value)}"));

    /// <summary>A CNN's per-batch reports as the stage's steps, with each epoch's fixed log line.</summary>
    private sealed class StageProgress(StudyStage stage, IProgress<StudyProgress> inner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p) => inner.Report(new StudyProgress(stage, StudyEvent.Advanced,
            (double)(p.Epoch - 1) * p.Batches + p.Batch, (double)p.Epochs * p.Batches, p.EpochEnd?.ToLogLine(p.Epochs)));
    }
}
