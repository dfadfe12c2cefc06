using System.CommandLine;
using Digits.Data;
using Digits.Persistence;
using Digits.Training;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// The part of <c>digits train NAME</c> every kind shares: the common flags, finding the data with the outputs checked
/// first, and rendering the library's <see cref="TrainingSession"/> as the contract's <c>train</c> JSON or a summary.
/// </summary>
internal static class TrainingRun
{
    public static readonly Option<int?> Subset = new("--subset") { Description = "Train on a stratified subset of N training images (default: all)", HelpName = "N" };
    public static readonly Option<string> SubsetMode = CreateSubsetMode();
    public static readonly Option<ulong> Seed = new("--seed") { Description = "Seed for splits, initial weights, shuffles and augmentation", DefaultValueFactory = _ => TrainingPlan.DefaultSeed, HelpName = "N" };
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
    /// The thread count <c>--threads</c> asks for: at least 1, and never more than the processors, since extra threads
    /// only contend for the same cores (default: all of them).
    /// </summary>
    public static int RequestedThreads(ParseResult parsed)
    {
        int? threads = parsed.GetValue(Threads);
        if (threads is < 1)
            throw new InvalidOptionException("--threads", $"must be at least 1, got {threads}");
        return Math.Min(threads ?? Environment.ProcessorCount, Environment.ProcessorCount);
    }

    /// <summary>Applies <see cref="RequestedThreads"/> to the numeric kernels, with a note when it capped the request.</summary>
    public static int ApplyThreads(ParseResult parsed)
    {
        int threads = RequestedThreads(parsed);
        if (parsed.GetValue(Threads) is int asked && asked > threads)
            Console.Error.WriteLine($"note: --threads {asked} is more than the {Environment.ProcessorCount} processors here; using {threads}");
        Tensors.WorkerPool.Threads = threads;
        return threads;
    }

    /// <summary>Trains with <paramref name="trainer"/> and reports the run.</summary>
    /// <param name="checkpoints">The run's checkpoint files (every ensemble member's), to check with the other outputs.</param>
    public static async Task<int> RunAsync(ParseResult parsed, Option<double> validation, ITrainer trainer, IReadOnlyList<string> checkpoints, CancellationToken ct)
    {
        var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
        ulong seed = parsed.GetValue(Seed);
        int? subset = parsed.GetValue(Subset);
        if (subset is < 20)
            throw new InvalidOptionException("--subset", $"must be at least 20, got {subset}");
        int threads = ApplyThreads(parsed);

        // Every output is checked against every input once the data is found and before it is read, so that a mistake
        // costs nothing.
        ModelOutput output = null!;
        var loaded = await DataCommands.LoadAsync(parsed, terminal, DatasetCatalog.Mnist, ct, dataFiles =>
            output = ModelOutput.Check(parsed.GetValue(Out) ?? $"{trainer.Name}.safetensors", "--out", dataFiles,
                checkpoints.Select(c => ((string?)c, "--checkpoint"))));
        var testSet = DataCommands.CheckTestSet(loaded);
        var session = TrainingSession.Prepare(new TrainingPlan
        {
            Trainer = trainer,
            Data = loaded,
            Output = output,
            Seed = seed,
            ValidationFraction = parsed.GetValue(validation),
            Subset = subset,
            SubsetFirst = parsed.GetValue(SubsetMode) == "first",
            Command = "digits " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
        });

        terminal.Log($"training {trainer.Name} on {session.TrainCount} images" + (session.ValidationCount == 0 ? "" : $", validating on {session.ValidationCount}"));
        var outcome = TrainingProgressView.Run(terminal, trainer.Name, progress => session.Run(progress, ct));
        var result = outcome.Result;
        foreach (string note in result.Notes ?? [])
            terminal.Log(note);
        if (result.Diverged is { } diverged)
        {
            Terminal.Wrote(outcome.ModelPath, $"the last finite model; {output.Path} was left as it was");
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(diverged);
        }

        var test = outcome.Test;
        if (parsed.GetValue(GlobalOptions.Json))
        {
            JsonOutput.Print(new
            {
                model = outcome.ModelPath,
                kind = result.Model.Kind,
                recipe = result.Model.Recipe,
                test_accuracy = test?.Accuracy,
                validation_accuracy = result.ValidationAccuracy,
                train_seconds = Math.Round(outcome.TrainSeconds, 3),
                epochs = result.Epochs,
                seed,
                threads,
                train_count = outcome.TrainCount,
                validation_count = outcome.ValidationCount,
                test_log_loss = test?.LogLoss,
                test_ece = test?.Ece,
                test_ece_uncalibrated = outcome.TestUncalibrated?.Ece,
                calibration = outcome.Calibration is { } c ? new { temperature = c.Temperature, ece_before = c.EceBefore, ece_after = c.EceAfter } : null,
                checksums = testSet.Checksums,
                test_dataset = testSet.Dataset,
                interrupted = outcome.Interrupted,
            });
        }
        else
        {
            string validationText = result.ValidationAccuracy is double v ? $", validation {v * 100:F2}%" : "";
            if (test is null)
            {
                string epochs = result.Epochs is int e ? $"after {e} epoch{(e == 1 ? "" : "s")}" : $"after {outcome.TrainSeconds:F1} s";
                terminal.Out.MarkupLineInterpolated($"[bold]{trainer.Name}[/]: stopped {epochs}{validationText}; not evaluated on test");
            }
            else
            {
                terminal.Out.MarkupLineInterpolated($"[bold]{trainer.Name}[/]: accuracy on {testSet.Words} [green]{test.Accuracy * 100:F2}%[/]{validationText}, trained in {outcome.TrainSeconds:F1} s on {outcome.TrainCount:N0} images");
            }
            if (outcome.Calibration is { } calibration)
            {
                string testEce = outcome.TestUncalibrated is { } before && test is not null ? $", test {before.Ece:F4} → {test.Ece:F4}" : "";
                terminal.Out.MarkupLineInterpolated($"calibration: temperature {calibration.Temperature:F3}, ECE on validation {calibration.EceBefore:F4} → {calibration.EceAfter:F4}{testEce}");
            }
        }
        Terminal.Wrote(outcome.ModelPath, outcome.Interrupted ? $"the best model so far; {output.Path} was left as it was" : null);
        return outcome.Interrupted ? CommandRunner.Interrupted : CommandRunner.Ok;
    }
}
