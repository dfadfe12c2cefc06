using System.Diagnostics;
using System.Globalization;
using Digits.Classical;
using Digits.Data;
using System.Text.Json;
using Digits.Evaluation;
using Digits.Persistence;
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
    /// <summary>The stage that cross-validates the SVM's C and γ.</summary>
    public const string TuningStage = "svm-tuning";

    /// <summary>The full report's ensemble row, filled only from a model file given by <see cref="StudyPlan.ReuseFolder"/>.</summary>
    public const string EnsembleStage = "cnn-ensemble";

    /// <summary>The default report's models, in the order it trains them; the names are the registry's.</summary>
    public static IReadOnlyList<string> DefaultModels { get; } = [TrainerRegistry.LogReg.Name, TrainerRegistry.Svm.Name, TrainerRegistry.CnnFast.Name];

    /// <summary>
    /// The full report's models, in order: the default's three, each family at its best (deskewed linear models, the
    /// RBF SVM on all 60,000, plain and deskewed with virtual support vectors, the <c>cnn</c> recipe) and the ensemble.
    /// </summary>
    public static IReadOnlyList<string> FullModels { get; } =
    [
        "logreg", "logreg-deskew", "linear-svm", "linear-svm-deskew", "svm", "svm-60k", "svm-60k-deskew-vsv",
        "cnn-fast", "cnn", EnsembleStage,
    ];

    /// <summary>The models of a default or a full report.</summary>
    public static IReadOnlyList<string> ModelNames(bool full) => full ? FullModels : DefaultModels;

    /// <summary>Whether the report trains and saves this model (every one but the reused ensemble).</summary>
    public static bool TrainsModel(string name) => name != EnsembleStage;

    /// <summary>
    /// The notebook's figures, 0–1, and how charts name them, by model family: logistic regression, the RBF SVM and the
    /// CNN (the notebook has no linear SVM). Its CNN is compared with every CNN here, <c>cnn-fast</c> first, the fastest
    /// recipe that passes 99%.
    /// </summary>
    public static (double Accuracy, string Source)? Published(string model) => model switch
    {
        "logreg" or "logreg-deskew" => (0.923, "notebook logreg"),
        "svm" or "svm-60k" or "svm-60k-deskew-vsv" => (0.967, "notebook SVM"),
        "cnn-fast" or "cnn" or EnsembleStage => (0.991, "notebook CNN"),
        _ => null,
    };

    /// <summary>The SVM trains on the first this many training images, as the notebook (and scikit-learn's anchors) do.</summary>
    public const int SvmTrainCount = 10_000;

    /// <summary>The models whose reliability diagram the report draws: softmax regression, whose confidences spread over
    /// many bins (the SVM's and the CNN's nearly all fall in the last one), and the calibrated <c>cnn</c>.</summary>
    public static IReadOnlyList<string> ReliabilityModels { get; } = ["logreg", "cnn"];

    private readonly StudyPlan plan;
    private readonly ParameterGrid grid;
    private readonly int fullCount, svmCount;
    private readonly List<Step> steps;

    /// <summary>The ensemble file <see cref="StudyPlan.ReuseFolder"/> gave, or null; with why the others were passed over.</summary>
    private readonly ReusedModel? reused;
    private readonly IReadOnlyList<string> reuseNotes;

    /// <summary>What the running report has found a reader should know.</summary>
    private List<string> notes = [];

    /// <summary>Every file the running report has written, in order.</summary>
    private List<StudyFile> files = [];

    /// <summary>The SVM's search, once its stage has run.</summary>
    private StudyTuning? tuning;

    /// <summary>One stage and what it does; a stage that trains or reuses a model returns it, the tuning returns null.</summary>
    private sealed record Step(StudyStage Stage, Func<StudyStage, IProgress<StudyProgress>?, CancellationToken, StudyModel?> Run);

    private sealed record ReusedModel(string Path, ModelFile File);

    private StudyReport(StudyPlan plan, ParameterGrid grid, int fullCount, int svmCount, ReusedModel? reused, IReadOnlyList<string> reuseNotes)
    {
        this.plan = plan;
        this.grid = grid;
        this.fullCount = fullCount;
        this.svmCount = svmCount;
        this.reused = reused;
        this.reuseNotes = reuseNotes;
        steps = plan.Full ? FullSteps() : DefaultSteps();
    }

    /// <summary>The stages <see cref="Run"/> goes through, in order, so a front end can show the plan before it starts.</summary>
    public IReadOnlyList<StudyStage> Stages => [.. steps.Select(s => s.Stage)];

    /// <summary>
    /// Checks the plan, the data's image sizes and the SVM grid, works out every stage's image counts, and for a full
    /// report with <see cref="StudyPlan.ReuseFolder"/> picks the ensemble file to reuse.
    /// </summary>
    /// <exception cref="InvalidOptionException">A scale, fold count, grid or reuse folder that cannot be used.</exception>
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
        int full = plan.Scaled(train);
        var (reused, reuseNotes) = plan.ReuseFolder is { } folder ? FindEnsemble(plan, folder, full) : (null, []);
        return new StudyReport(plan, grid, full, svm, reused, reuseNotes);
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
        tuning = null;
        notes = plan.Scale < 1 ? [string.Create(CultureInfo.InvariantCulture, $"Scale {plan.Scale}: every model trained on {plan.Scale * 100:0.#}% of its images, so the figures are not comparable with the published ones.")] : [];
        notes.AddRange(reuseNotes);
        var finished = new HashSet<string>();
        bool interrupted = false;
        try
        {
            foreach (var step in steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var model = step.Run(step.Stage, progress, cancellationToken);
                if (model is not null)
                {
                    models.Add(model);
                    files.AddRange(Draw(model));
                    finished.Add(step.Stage.Name);
                }
                else if (step.Stage.Name == TuningStage && tuning is not null)
                {
                    finished.Add(TuningStage);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }

        string[] notRun = [.. steps.Select(s => s.Stage.Name).Where(n => !finished.Contains(n))];
        if (models.Count > 0)
            files.Add(DrawComparison(models, machine));
        files.Add(new StudyFile(plan.Outputs.ResultsJson, "the figures as JSON"));
        files.Add(new StudyFile(plan.Outputs.ResultsMarkdown, "the table and the pictures"));
        var result = new StudyResult(models, tuning, files, interrupted, notRun, notes, Stopwatch.GetElapsedTime(clock).TotalSeconds, machine, started)
        {
            Stages = Stages,
        };
        StudyDocument.Write(plan, result);
        return result;
    }

    /// <summary>The notebook's study: softmax regression, the tuned SVM on the first 10,000, cnn-fast.</summary>
    private List<Step> DefaultSteps()
    {
        var list = new List<Step>();
        AddLogReg(list, deskew: false);
        AddSvmTuning(list);
        AddCnnFast(list);
        return list;
    }

    /// <summary>Every model at its best, quick ones first, the ensemble last.</summary>
    private List<Step> FullSteps()
    {
        var list = new List<Step>();
        AddLogReg(list, deskew: false);
        AddLogReg(list, deskew: true);
        AddLinearSvm(list, deskew: false);
        AddLinearSvm(list, deskew: true);
        AddSvmTuning(list);
        AddSvmFull(list, improved: false);
        AddSvmFull(list, improved: true);
        AddCnnFast(list);
        AddCnn(list);
        AddEnsemble(list);
        return list;
    }

    private static void Add(List<Step> list, string name, string what, double expectedSeconds, Func<StudyStage, IProgress<StudyProgress>?, CancellationToken, StudyModel?> run) =>
        list.Add(new Step(new StudyStage(list.Count + 1, name, what, expectedSeconds), run));

    private void AddLogReg(List<Step> list, bool deskew)
    {
        var entry = TrainerRegistry.LogReg;
        var options = entry.Defaults with { Seed = plan.Seed, Deskew = deskew };
        AddLinear(list, entry.Name, "softmax regression", deskew, options.C, () => entry.Create(options));
    }

    private void AddLinearSvm(List<Step> list, bool deskew)
    {
        var entry = TrainerRegistry.LinearSvm;
        var options = entry.Defaults with { Seed = plan.Seed, Deskew = deskew };
        AddLinear(list, entry.Name, "linear SVM, Crammer–Singer", deskew, options.C, () => entry.Create(options));
    }

    /// <summary>A linear model on every training image, on plain or deskewed pixels (<c>NAME-deskew</c>).</summary>
    private void AddLinear(List<Step> list, string name, string model, bool deskew, double c, Func<ITrainer> trainer)
    {
        string how = deskew ? ", deskewed" : "";
        Add(list, deskew ? name + "-deskew" : name, $"{model}{how}, {Images(fullCount)}", deskew ? 4 : 3, (stage, progress, ct) =>
            Train(stage, trainer(), fullCount, first: false, validation: 0, $"{model} (C={Number(c)}){how}, {Images(fullCount)}",
                new Dictionary<string, double> { ["C"] = c }, progress, ct));
    }

    /// <summary>The notebook's SVM: C and γ by cross-validation on the first 10,000 images, then the fit on them.</summary>
    private void AddSvmTuning(List<Step> list)
    {
        string axes = string.Join(" × ", grid.Axes.Select(a => $"{a.Name}={string.Join(",", a.Values.Select(Number))}"));
        Add(list, TuningStage, $"{plan.Folds}-fold CV of the RBF SVM over {axes} on the first {Images(svmCount)}", 14, (stage, progress, ct) =>
        {
            tuning = TuneSvm(stage, progress, ct);
            files.Add(DrawTuning(tuning));
            return null;
        });
        Add(list, TrainerRegistry.Svm.Name, $"RBF SVM with the chosen C and γ on the first {Images(svmCount)}", 4, (stage, progress, ct) =>
        {
            var entry = TrainerRegistry.Svm;
            var options = entry.WithParameters(entry.Defaults with { Seed = plan.Seed }, tuning!.Search.Best.Parameters);
            string chosen = string.Create(CultureInfo.InvariantCulture, $"C={Number(options.C)}, γ={Number(options.Gamma)} by {plan.Folds}-fold CV");
            return Train(stage, entry.Create(options), svmCount, first: true, validation: 0, $"RBF SVM ({chosen}), the first {Images(svmCount)}",
                new Dictionary<string, double> { ["C"] = options.C, ["gamma"] = options.Gamma }, progress, ct);
        });
    }

    /// <summary>
    /// The RBF SVM on every training image with the registry's defaults (C=10, γ=0.025, chosen on a validation split,
    /// docs/benchmarks.md); <paramref name="improved"/> adds deskewing and virtual support vectors.
    /// </summary>
    private void AddSvmFull(List<Step> list, bool improved)
    {
        var entry = TrainerRegistry.Svm;
        var options = entry.Defaults with { Seed = plan.Seed, Deskew = improved, VirtualSupportVectors = improved };
        string name = improved ? "svm-60k-deskew-vsv" : "svm-60k";
        string settings = string.Create(CultureInfo.InvariantCulture, $"C={Number(options.C)}, γ={Number(options.Gamma)}");
        string how = improved ? "deskewed, with virtual support vectors" : "plain pixels";
        Add(list, name, $"RBF SVM ({settings}), {how}, {Images(fullCount)}", improved ? 150 : 40, (stage, progress, ct) =>
            Train(stage, entry.Create(options), fullCount, first: false, validation: 0, $"RBF SVM ({settings}), {how}, {Images(fullCount)}",
                new Dictionary<string, double> { ["C"] = options.C, ["gamma"] = options.Gamma }, progress, ct));
    }

    private void AddCnnFast(List<Step> list)
    {
        var entry = TrainerRegistry.CnnFast;
        var recipe = entry.Defaults.Recipe;
        var options = entry.Defaults with { Recipe = recipe with { Training = recipe.Training with { Seed = plan.Seed } } };
        int epochs = recipe.Training.Epochs;
        Add(list, entry.Name, $"cnn-fast, {epochs} epochs on {Images(fullCount)}", 10, (stage, progress, ct) =>
        {
            var model = Train(stage, entry.Create(options), fullCount, first: false, validation: 0,
                $"cnn-fast ({epochs} epochs, Adam one-cycle), {Images(fullCount)}",
                new Dictionary<string, double> { ["epochs"] = epochs }, progress, ct);
            if (model.History is { Count: > 0 })
                notes.Add($"cnn-fast trains on every training image with no validation split (the recipe's default, as the notebook's CNN), so its learning curve shows the training loss and accuracy of its {epochs} epochs only.");
            return model;
        });
    }

    /// <summary>The best single CNN, with the registry's validation split, which its temperature is fitted on.</summary>
    private void AddCnn(List<Step> list)
    {
        var entry = TrainerRegistry.Cnn;
        var recipe = entry.Defaults.Recipe;
        var options = entry.Defaults with { Recipe = recipe with { Training = recipe.Training with { Seed = plan.Seed } } };
        int epochs = recipe.Training.Epochs;
        double validation = entry.DefaultValidation;
        string held = string.Create(CultureInfo.InvariantCulture, $"{validation * 100:0.#}% held out for validation and calibration");
        Add(list, entry.Name, $"cnn, {epochs} epochs on {Images(fullCount)} ({held})", 720, (stage, progress, ct) =>
            Train(stage, entry.Create(options), fullCount, first: false, validation,
                $"cnn ({epochs} epochs, augmentation, AdamW one-cycle), {Images(fullCount)}, {held}",
                new Dictionary<string, double> { ["epochs"] = epochs }, progress, ct));
    }

    /// <summary>The ensemble: measured from the file <see cref="StudyPlan.ReuseFolder"/> gave, or not run.</summary>
    private void AddEnsemble(List<Step> list)
    {
        string what = reused is null
            ? "ensemble of cnn models: not run (it takes longer than the report; train it with digits train cnn --ensemble N and give its folder with --reuse)"
            : $"ensemble of cnn models, reused from {reused.Path}";
        Add(list, EnsembleStage, what, 5, (stage, progress, ct) => reused is null ? null : MeasureReused(stage, reused, progress, ct));
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
        var result = new StudyTuning(entry.Name, grid, plan.SvmGrid, search, data.Count, Stopwatch.GetElapsedTime(clock).TotalSeconds);
        progress?.Report(new StudyProgress(stage, StudyEvent.Finished, settings.Count, settings.Count, string.Create(CultureInfo.InvariantCulture,
            $"best {Format(search.Best.Parameters)} cv={search.Best.CvMean:F4} time={result.Seconds:F1}s")));
        return result;
    }

    /// <summary>Fits one model through <see cref="TrainingSession"/>, as <c>digits train</c> would, and measures it on the test split.</summary>
    private StudyModel Train(StudyStage stage, ITrainer trainer, int count, bool first, double validation, string description,
        IReadOnlyDictionary<string, double> parameters, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var session = TrainingSession.Prepare(new TrainingPlan
        {
            Trainer = trainer,
            Data = plan.Data,
            Output = plan.Outputs.Model(stage.Name),
            Seed = plan.Seed,
            ValidationFraction = validation,
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

        var published = Published(stage.Name);
        var model = new StudyModel(stage.Name, trainer.Kind, description, outcome.TrainCount, parameters, test, outcome.TrainSeconds,
            published?.Accuracy, published?.Source, outcome.ModelPath, outcome.Result.History?.Select(e => e.Point).ToArray())
        {
            ValidationCount = outcome.ValidationCount,
            EceUncalibrated = outcome.TestUncalibrated?.Ece,
            Temperature = outcome.Calibration?.Temperature,
        };
        Finished(stage, model, progress);
        return model;
    }

    private static void Finished(StudyStage stage, StudyModel model, IProgress<StudyProgress>? progress)
    {
        var test = model.Test;
        progress?.Report(new StudyProgress(stage, StudyEvent.Finished, Line: string.Create(CultureInfo.InvariantCulture,
            $"test_acc={test.Accuracy:F4} ci95=[{test.AccuracyCi95[0]:F4},{test.AccuracyCi95[1]:F4}] published={model.Published?.ToString("F3", CultureInfo.InvariantCulture) ?? "-"} train={model.TrainSeconds:F2}s predict={model.PredictSeconds:F2}s{(model.Reused ? " (reused)" : "")}")));
    }

    /// <summary>
    /// The ensemble file in <paramref name="folder"/> that a full report may reuse: an ensemble of the <c>cnn</c> recipe
    /// that finished, trained on exactly the images the report's <c>cnn</c> stage trains on (its
    /// <c>train_data_sha256</c>), the one with the best validation accuracy if several are; never chosen on test. Every
    /// file passed over gets a note saying why.
    /// </summary>
    /// <exception cref="InvalidOptionException">The folder is missing or a file.</exception>
    private static (ReusedModel?, IReadOnlyList<string>) FindEnsemble(StudyPlan plan, string folder, int cnnCount)
    {
        if (File.Exists(folder))
            throw new InvalidOptionException("--reuse", $"{folder} is a file, expected a folder of model files");
        if (!Directory.Exists(folder))
            throw new InvalidOptionException("--reuse", $"{folder} does not exist");
        string recipe = TrainerRegistry.Cnn.Defaults.Recipe.Name;
        string expected = TrainingSession.TakeSubset(plan.Data.Train, cnnCount == plan.Data.Train.Count ? null : cnnCount, first: false, plan.Seed).ContentSha256();
        var notes = new List<string>();
        ReusedModel? best = null;
        double bestValidation = double.NegativeInfinity;
        foreach (string path in Directory.GetFiles(folder, "*.safetensors").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(".interrupted.safetensors", StringComparison.Ordinal))
                continue;
            ModelFile file;
            try
            {
                file = ModelFile.Load(path);
            }
            catch (DigitsException)
            {
                continue; // checkpoints and other files that are not models
            }
            var metadata = file.Metadata;
            string? why = metadata.Kind != ModelKind.Ensemble ? null
                : metadata.Recipe != recipe ? $"its recipe is {metadata.Recipe}, not {recipe}"
                : metadata.TrainDataSha256 != expected ? "it was trained on other images than the report's cnn stage (train_data_sha256 differs)"
                : Metrics(metadata).TryGetProperty("interrupted", out var stopped) && stopped.ValueKind == JsonValueKind.True ? "its training did not finish"
                : "";
            if (why is null)
                continue;
            if (why.Length > 0)
            {
                notes.Add($"--reuse: {name} was not used: {why}.");
                continue;
            }
            double validation = Number(Metrics(metadata), "validation_accuracy") ?? double.NaN;
            if (best is null || validation > bestValidation)
            {
                best = new ReusedModel(path, file);
                bestValidation = validation;
            }
        }
        if (best is null)
            notes.Add($"--reuse: {folder} holds no ensemble of the {recipe} recipe trained on the report's images, so {EnsembleStage} was not run.");
        return (best, notes);
    }

    /// <summary>A model file's <c>metrics</c> object, parsed once.</summary>
    private static JsonElement Metrics(ModelMetadata metadata)
    {
        using var json = JsonDocument.Parse(metadata.Metrics);
        return json.RootElement.Clone();
    }

    /// <summary>The number <paramref name="name"/> of a <c>metrics</c> object, or null.</summary>
    private static double? Number(JsonElement metrics, string name) =>
        metrics.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>Measures a reused model on the test split, as <see cref="TrainingSession"/> measures a trained one.</summary>
    private StudyModel MeasureReused(StudyStage stage, ReusedModel reused, IProgress<StudyProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new StudyProgress(stage, StudyEvent.Started));
        var metadata = reused.File.Metadata;
        var model = ModelLoader.FromModelFile(reused.File);
        var images = plan.Data.Test;
        EvaluationResult test;
        double? eceUncalibrated = null;
        if (model is CalibratedModel calibrated)
        {
            (test, var uncalibrated) = Calibrator.Evaluate(calibrated, images.Pixels, images.Labels, images.Count, cancellationToken);
            eceUncalibrated = uncalibrated.Ece;
        }
        else
        {
            test = Evaluator.Evaluate(model, images.Pixels, images.Labels, images.Count, cancellationToken: cancellationToken);
        }
        var metrics = Metrics(metadata);
        double seconds = Number(metrics, "train_seconds") ?? double.NaN;
        int trainCount = (int)(Number(metrics, "train_count") ?? 0);
        int validationCount = (int)(Number(metrics, "validation_count") ?? 0);
        int members = EnsembleMembers(metadata);
        var published = Published(stage.Name);
        var result = new StudyModel(stage.Name, metadata.Kind, $"cnn ensemble, {members} member{(members == 1 ? "" : "s")} kept by validation (reused: {Path.GetFileName(reused.Path)}), {Images(trainCount)}",
            trainCount, new Dictionary<string, double> { ["members"] = members }, test, seconds, published?.Accuracy, published?.Source, reused.Path, null)
        {
            Reused = true,
            ValidationCount = validationCount,
            EceUncalibrated = eceUncalibrated,
            Temperature = metadata.Calibration?.Temperature,
        };
        notes.Add($"{EnsembleStage} was not trained by this report: it is {reused.Path}, made by `{metadata.Command}` and measured here on the test split; its training time is the one stored in the file.");
        Finished(stage, result, progress);
        return result;
    }

    /// <summary>The number of members an ensemble file declares in its architecture (0 if it does not say).</summary>
    private static int EnsembleMembers(ModelMetadata metadata)
    {
        using var json = JsonDocument.Parse(metadata.Architecture);
        return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("members", out var members)
            && members.ValueKind == JsonValueKind.Array ? members.GetArrayLength() : 0;
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
            bool validated = history.Any(h => h.ValidationLoss is not null);
            LearningCurveChart.Save(history, curve, $"{model.Name}, {model.TrainCount:N0} training images" + (validated ? $", {model.ValidationCount:N0} validation" : ""));
            drawn.Add(new(curve, validated
                ? $"Learning curve of {model.Name}: training loss and accuracy per epoch (means over each epoch's batches, with augmentation where the recipe has it) and the same on the {model.ValidationCount:N0} validation images."
                : $"Learning curve of {model.Name}: training loss and accuracy per epoch (means over each epoch's batches; no validation split)."));
        }
        if (ReliabilityModels.Contains(model.Name))
        {
            string reliability = outputs.Reliability(model.Name);
            ReliabilityDiagramChart.Save(test.Reliability, reliability, ReliabilityDiagramChart.Title(model.Name, "test", test.Ece, test.Accuracy));
            string calibration = model.EceUncalibrated is double before && model.Temperature is double t
                ? string.Create(CultureInfo.InvariantCulture, $", after temperature scaling (T={t:F3}, fitted on validation; {before:F4} before)")
                : "";
            drawn.Add(new(reliability, string.Create(CultureInfo.InvariantCulture,
                $"Reliability diagram of {model.Name} on {plan.TestSetName}: accuracy against confidence in {CalibrationError.BinCount} bins, ECE {test.Ece:F4}{calibration}.")));
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

    /// <summary>An image count for a chart label: <c>60k</c>, <c>10k</c>, <c>54k</c> for 54,001 (from 10,000 on, to the
    /// nearest thousand), or the number below that when it is not whole thousands.</summary>
    internal static string Count(int n) => n >= 10_000 || (n >= 1000 && n % 1000 == 0)
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(n / 1000.0):0}k")
        : n.ToString(CultureInfo.InvariantCulture);

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
