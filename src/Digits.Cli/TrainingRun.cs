using System.CommandLine;
using System.Text.Json;
using Digits.Data;
using Digits.Evaluation;
using Digits.Neural.Training;
using Digits.Persistence;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>What a trainer hands back to the shared part of <c>digits train</c>.</summary>
/// <param name="Model">The trained model (for CNNs, the best-validation epoch's).</param>
/// <param name="ValidationAccuracy">Accuracy on the validation split, or null without one.</param>
/// <param name="Epochs">Epochs run, for iterative trainers; null otherwise.</param>
/// <param name="Interrupted">Stopped by Ctrl+C: the model is the best so far and the command exits 130.</param>
/// <param name="History">Per-epoch learning curve, when the trainer has one.</param>
internal sealed record TrainedModel(
    IPersistableModel Model, double? ValidationAccuracy, int? Epochs, bool Interrupted,
    IReadOnlyList<LearningCurvePoint>? History = null);

/// <summary>The data a trainer works on: the training images, and index lists into them for training and validation.</summary>
internal sealed record TrainingData(LabeledImages Train, int[] TrainIndices, int[]? ValidationIndices)
{
    /// <summary>Copies of the training and validation images, for trainers that want whole sets.</summary>
    public (LabeledImages Train, LabeledImages? Validation) Materialize() =>
        (Train.Subset(TrainIndices), ValidationIndices is null ? null : Train.Subset(ValidationIndices));
}

/// <summary>
/// The part of <c>digits train KIND</c> every kind shares: load data, take the subset and the validation split, call
/// the kind's trainer, measure test accuracy, save the model with its provenance, and print the contract's
/// <c>train</c> JSON. The test set is only evaluated after training; nothing is chosen on it.
/// </summary>
internal static class TrainingRun
{
    public static readonly Option<int?> Subset = new("--subset") { Description = "Train on a stratified subset of N training images (default: all)", HelpName = "N" };
    public static readonly Option<string> SubsetMode = CreateSubsetMode();
    public static readonly Option<ulong> Seed = new("--seed") { Description = "Seed for splits, initial weights, shuffles and augmentation", DefaultValueFactory = _ => 1UL, HelpName = "N" };
    public static readonly Option<int?> Threads = new("--threads") { Description = "Threads for the numeric kernels (default: all cores)", HelpName = "N" };
    public static readonly Option<string?> Out = new("--out", "-o") { Description = "Where to save the model (default: KIND.safetensors in the current folder)", HelpName = "FILE" };
    public static readonly Option<bool> DeskewOption = new("--deskew") { Description = "Deskew images (moment method) for training and prediction; stored in the model" };

    private static Option<string> CreateSubsetMode()
    {
        var option = new Option<string>("--subset-mode") { Description = "stratified (a seeded sample keeping class shares) or first (the first N images, as the scikit-learn anchors take)", DefaultValueFactory = _ => "stratified", HelpName = "stratified|first" };
        option.AcceptOnlyFromAmong("stratified", "first");
        return option;
    }

    /// <summary>Adds the options every <c>train</c> verb has.</summary>
    public static void AddCommonOptions(Command command, Option<double> validation)
    {
        command.Options.Add(GlobalOptions.Data);
        command.Options.Add(Subset);
        command.Options.Add(SubsetMode);
        command.Options.Add(validation);
        command.Options.Add(Seed);
        command.Options.Add(Threads);
        command.Options.Add(Out);
        command.Options.Add(GlobalOptions.Json);
    }

    /// <summary>A <c>--validation</c> option with a kind-specific default fraction.</summary>
    public static Option<double> ValidationOption(double defaultFraction) => new("--validation")
    {
        Description = $"Fraction of the training images held out to choose epochs and report validation accuracy (0 for none; default {defaultFraction})",
        DefaultValueFactory = _ => defaultFraction,
        HelpName = "FRACTION",
    };

    /// <summary>
    /// Applies <c>--threads</c>: at least 1, and more than the processors are capped with a note, since extra threads
    /// only contend for the same cores. Returns the thread count in force.
    /// </summary>
    private static bool threadsCapNoted;

    /// <summary>Exactly <paramref name="count"/> images (all when null): a stratified sample or the first ones, by --subset-mode.</summary>
    public static LabeledImages TakeSubset(ParseResult parsed, LabeledImages train, int? count, ulong seed)
    {
        if (count is not int n || n == train.Count)
            return train;
        if (n > train.Count)
            throw new UsageException("--subset", $"must be at most {train.Count:N0} (the training images there are), got {n:N0}");
        return parsed.GetValue(SubsetMode) == "first" ? train.Take(n) : train.Subset(StratifiedSplit.Sample(train.Labels, n, seed));
    }

    public static int ApplyThreads(ParseResult parsed)
    {
        int? threads = parsed.GetValue(Threads);
        if (threads is < 1)
            throw new UsageException("--threads", $"must be at least 1, got {threads}");
        if (threads is int t)
        {
            if (t > Environment.ProcessorCount)
            {
                if (!threadsCapNoted)
                    Console.Error.WriteLine($"note: --threads {t} is more than the {Environment.ProcessorCount} processors here; using {Environment.ProcessorCount}");
                threadsCapNoted = true;
                t = Environment.ProcessorCount;
            }
            Tensors.WorkerPool.Threads = t;
        }
        return Tensors.WorkerPool.Threads;
    }

    /// <param name="checkpoint">The run's checkpoint file, if any: another output to check before training.</param>
    public static async Task<int> RunAsync(ParseResult parsed, string kind, string? recipe, Option<double> validation,
        Func<TrainingData, Terminal, CancellationToken, TrainedModel> trainer, CancellationToken ct, string? checkpoint = null)
    {
        var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
        ulong seed = parsed.GetValue(Seed);
        double fraction = parsed.GetValue(validation);
        int? subset = parsed.GetValue(Subset);
        if (!(fraction >= 0 && fraction < 0.9))
            throw new UsageException("--validation", $"must be in [0, 0.9), got {fraction}");
        if (subset is < 20)
            throw new UsageException("--subset", $"must be at least 20, got {subset}");
        int threads = ApplyThreads(parsed);
        string name = recipe ?? kind;

        var loaded = await DataCommands.LoadAsync(parsed, terminal, DatasetCatalog.Mnist, ct);
        // Every output is checked before training, so that a mistake costs nothing.
        string[] inputs = [.. loaded.Location.Paths.Values];
        var output = ModelOutput.Check(parsed.GetValue(Out) ?? $"{name}.safetensors", "--out", inputs);
        if (checkpoint is not null)
            OutputPath.CheckAll([(output.Path, "--out"), (checkpoint, "--checkpoint")], inputs);

        loaded.RequireCatalogImageSize(DatasetSplit.Train);
        var testSet = DataCommands.CheckTestSet(loaded);
        var train = TakeSubset(parsed, loaded.Train, subset, seed);
        int[] trainIndices;
        int[]? validationIndices = null;
        if (fraction > 0)
            (trainIndices, validationIndices) = StratifiedSplit.Create(train.Labels, fraction, seed);
        else
            trainIndices = Enumerable.Range(0, train.Count).ToArray();

        terminal.Log($"training {name} on {trainIndices.Length} images" + (validationIndices is null ? "" : $", validating on {validationIndices.Length}"));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        TrainedModel trained;
        try
        {
            trained = trainer(new TrainingData(train, trainIndices, validationIndices), terminal, ct);
        }
        catch (TrainingDivergedException diverged) when (diverged.LastFinite is not null)
        {
            // Keep the last finite model, as an unfinished run keeps its best so far; the error is reported after.
            double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            var partial = new TrainedModel(diverged.LastFinite, null, diverged.LastFiniteEpoch, Interrupted: true);
            string kept = output.Save(Metadata(partial, null, seconds, trainIndices.Length, validationIndices, seed, train), partial.Model.Tensors(), finished: false);
            Terminal.Wrote(kept, $"the last finite model, from epoch {diverged.LastFiniteEpoch}; {output.Path} was left as it was");
            throw;
        }
        double trainSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;

        // With a validation split, a temperature is fitted on it (Calibrator) and saved in the model's metadata.
        Calibration? calibration = null;
        if (validationIndices is not null && !trained.Interrupted)
        {
            try
            {
                (var calibrated, calibration) = Calibrator.Calibrate(trained.Model, train.Subset(validationIndices), ct);
                trained = trained with { Model = calibrated };
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                trained = trained with { Interrupted = true };
            }
        }

        // An interrupted run is saved at once, without the test pass, so that Ctrl+C is answered within a moment.
        // A calibrated model is also scored without its temperature, from the same predictions, to show what T did on test.
        EvaluationResult? test = null, testUncalibrated = null;
        if (!trained.Interrupted && trained.Model is CalibratedModel calibratedModel)
            (test, testUncalibrated) = Calibrator.Evaluate(calibratedModel, loaded.Test.Pixels, loaded.Test.Labels, loaded.Test.Count);
        else if (!trained.Interrupted)
            test = Evaluator.Evaluate(trained.Model, loaded.Test.Pixels, loaded.Test.Labels, loaded.Test.Count);
        var metadata = Metadata(trained, test, trainSeconds, trainIndices.Length, validationIndices, seed, train) with { Calibration = calibration };
        string path = output.Save(metadata, trained.Model.Tensors(), finished: !trained.Interrupted);

        if (parsed.GetValue(GlobalOptions.Json))
        {
            JsonOutput.Print(new
            {
                model = path,
                kind = trained.Model.Kind,
                recipe = trained.Model.Recipe,
                test_accuracy = test?.Accuracy,
                validation_accuracy = trained.ValidationAccuracy,
                train_seconds = Math.Round(trainSeconds, 3),
                epochs = trained.Epochs,
                seed,
                threads,
                train_count = trainIndices.Length,
                validation_count = validationIndices?.Length ?? 0,
                test_log_loss = test?.LogLoss,
                test_ece = test?.Ece,
                test_ece_uncalibrated = testUncalibrated?.Ece,
                calibration = calibration is null ? null : new { temperature = calibration.Temperature, ece_before = calibration.EceBefore, ece_after = calibration.EceAfter },
                checksums = testSet.Checksums,
                test_dataset = testSet.Dataset,
                interrupted = trained.Interrupted,
            });
        }
        else
        {
            string validationText = trained.ValidationAccuracy is double v ? $", validation {v * 100:F2}%" : "";
            if (test is null)
            {
                string epochs = trained.Epochs is int e ? $"after {e} epoch{(e == 1 ? "" : "s")}" : $"after {trainSeconds:F1} s";
                terminal.Out.MarkupLineInterpolated($"[bold]{name}[/]: stopped {epochs}{validationText}; not evaluated on test");
            }
            else
            {
                terminal.Out.MarkupLineInterpolated($"[bold]{name}[/]: accuracy on {testSet.Words} [green]{test.Accuracy * 100:F2}%[/]{validationText}, trained in {trainSeconds:F1} s on {trainIndices.Length:N0} images");
            }
            if (calibration is not null)
            {
                string testEce = testUncalibrated is null || test is null ? "" : $", test {testUncalibrated.Ece:F4} → {test.Ece:F4}";
                terminal.Out.MarkupLineInterpolated($"calibration: temperature {calibration.Temperature:F3}, ECE on validation {calibration.EceBefore:F4} → {calibration.EceAfter:F4}{testEce}");
            }
        }
        Terminal.Wrote(path, trained.Interrupted ? $"the best model so far; {output.Path} was left as it was" : null);
        return trained.Interrupted ? CommandRunner.Interrupted : CommandRunner.Ok;
    }

    /// <summary>The model file's provenance: kind, architecture and preprocessing from the model, and how it was made.</summary>
    private static ModelMetadata Metadata(TrainedModel trained, EvaluationResult? test, double trainSeconds, int trainCount,
        int[]? validationIndices, ulong seed, LabeledImages train)
    {
        var metrics = new Dictionary<string, object?>
        {
            ["test_accuracy"] = test?.Accuracy,
            ["test_log_loss"] = test?.LogLoss,
            ["test_ece"] = test?.Ece,
            ["validation_accuracy"] = trained.ValidationAccuracy,
            ["train_seconds"] = Math.Round(trainSeconds, 3),
            ["epochs"] = trained.Epochs,
            ["train_count"] = trainCount,
            ["validation_count"] = validationIndices?.Length ?? 0,
            ["interrupted"] = trained.Interrupted,
        };
        return new ModelMetadata
        {
            Kind = trained.Model.Kind,
            Recipe = trained.Model.Recipe,
            Labels = trained.Model.Labels,
            Architecture = trained.Model.Architecture,
            Preprocessing = trained.Model.Preprocessing,
            Command = "digits " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            Seed = (long)seed,
            Metrics = JsonSerializer.Serialize(metrics, JsonOutput.Options),
            TrainDataSha256 = train.ContentSha256(),
        };
    }
}
