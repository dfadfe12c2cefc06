using System.CommandLine;
using Digits.Classical;
using Digits.Data;
using Digits.Evaluation;
using Digits.Training;
using Digits.Tuning;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// <c>digits tune KIND --grid "C=1,5;gamma=0.01,0.05" --folds 3 --subset 10000</c>: grid or random search with
/// stratified k-fold cross-validation on the training set only; prints a table, draws the CV accuracy (a heatmap for
/// two parameters, a curve for one) and saves the best parameters as JSON.
/// </summary>
internal static class TuneCommand
{
    private static readonly Option<string> Kernel = CreateKernel();
    private static readonly Option<int> Degree = new("--degree") { Description = $"Polynomial degree (default {KernelSvmOptions.Defaults.Degree})", DefaultValueFactory = _ => KernelSvmOptions.Defaults.Degree, HelpName = "N" };
    private static readonly Option<double> Coef0 = new("--coef0") { Description = $"Polynomial offset (default {KernelSvmOptions.Defaults.Coef0})", DefaultValueFactory = _ => KernelSvmOptions.Defaults.Coef0, HelpName = "X" };

    private static Option<string> CreateKernel()
    {
        var kernel = new Option<string>("--kernel") { Description = "rbf: exp(-gamma·|x-y|²), or poly: (gamma·x·y + coef0)^degree", DefaultValueFactory = _ => "rbf", HelpName = "rbf|poly" };
        kernel.AcceptOnlyFromAmong("rbf", "poly");
        return kernel;
    }

    public static Command Create()
    {
        var tune = new Command("tune", "Choose hyperparameters by stratified k-fold cross-validation on the training set");
        bool Deskew(ParseResult parsed) => parsed.GetValue(TrainingRun.DeskewOption);
        tune.Subcommands.Add(CreateFor(TrainerRegistry.LogReg, parsed => TrainerRegistry.LogReg.Defaults with { Deskew = Deskew(parsed) }));
        tune.Subcommands.Add(CreateFor(TrainerRegistry.LinearSvm, parsed => TrainerRegistry.LinearSvm.Defaults with { Deskew = Deskew(parsed) }));
        // Trials run two at a time, so each kernel SVM fit keeps to one thread.
        tune.Subcommands.Add(CreateFor(TrainerRegistry.Svm, parsed => TrainerRegistry.Svm.Defaults with
        {
            Kernel = parsed.GetValue(Kernel) == "poly" ? SvmKernelType.Polynomial : SvmKernelType.Rbf,
            Degree = parsed.GetValue(Degree), Coef0 = parsed.GetValue(Coef0), Deskew = Deskew(parsed), Threads = 1,
        }, Kernel, Degree, Coef0));
        return tune;
    }

    /// <param name="baseOptions">The options every trial shares, from the flags; a grid setting overrides its parameters.</param>
    /// <param name="kindOptions">Flags only this kind has.</param>
    private static Command CreateFor<TOptions>(TrainerEntry<TOptions> entry, Func<ParseResult, TOptions> baseOptions, params Option[] kindOptions)
        where TOptions : notnull
    {
        string kind = entry.Name, defaultGrid = entry.DefaultGrid!;
        var parameters = entry.TunableParameters;
        var grid = new Option<string>("--grid") { Description = $"Values to try, e.g. \"{defaultGrid}\" (parameters: {string.Join(", ", parameters)})", DefaultValueFactory = _ => defaultGrid, HelpName = "SPEC" };
        var random = new Option<int?>("--random") { Description = "Random search: try N combinations drawn from the grid instead of all", HelpName = "N" };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds", DefaultValueFactory = _ => 3, HelpName = "K" };
        var subset = new Option<int?>("--subset") { Description = "Tune on a stratified subset of N training images", HelpName = "N" };
        var chart = new Option<string>("--heatmap") { Description = "Where to draw the CV accuracy (heatmap for two parameters, curve for one)", DefaultValueFactory = _ => $"tune-{kind}.png", HelpName = "FILE.png" };
        var output = new Option<string>("--out", "-o") { Description = "Where to save the best parameters (JSON)", DefaultValueFactory = _ => $"tune-{kind}.json", HelpName = "FILE.json" };
        var cmd = new Command(kind, $"Tune {kind}: {string.Join(", ", parameters)}");
        cmd.Options.Add(GlobalOptions.Data);
        cmd.Options.Add(grid);
        cmd.Options.Add(random);
        cmd.Options.Add(folds);
        cmd.Options.Add(subset);
        cmd.Options.Add(TrainingRun.SubsetMode);
        cmd.Options.Add(TrainingRun.Seed);
        cmd.Options.Add(TrainingRun.Threads);
        cmd.Options.Add(TrainingRun.DeskewOption);
        foreach (var option in kindOptions)
            cmd.Options.Add(option);
        cmd.Options.Add(chart);
        cmd.Options.Add(output);
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(async (parsed, ct) =>
        {
            var terminal = new Terminal(parsed.GetValue(GlobalOptions.Verbose));
            ulong seed = parsed.GetValue(TrainingRun.Seed);
            int k = parsed.GetValue(folds);
            if (k is < 2 or > 20)
                throw new InvalidOptionException("--folds", $"must be 2 to 20, got {k}");
            TrainingRun.ApplyThreads(parsed);
            ParameterGrid parameterGrid;
            try
            {
                parameterGrid = ParameterGrid.Parse(parsed.GetValue(grid)!, parameters);
            }
            catch (DigitsException e)
            {
                throw new InvalidOptionException(e.Subject, e.Problem);
            }
            var settings = parsed.GetValue(random) is int n
                ? (n >= 1 ? parameterGrid.Sample(n, seed) : throw new InvalidOptionException("--random", $"must be at least 1, got {n}"))
                : parameterGrid.Combinations();

            var shared = baseOptions(parsed);
            UsageMessages.Validate(() => entry.Validate(shared));
            // Every setting is checked before the first fit, so that a bad value in the grid costs nothing.
            foreach (var setting in settings)
            {
                try
                {
                    entry.Validate(entry.WithParameters(shared, setting));
                }
                catch (ArgumentException e)
                {
                    throw new InvalidOptionException("--grid", $"{Format(setting)}: {UsageMessages.Problem(e)}");
                }
            }

            string chartPath = parsed.GetValue(chart)!, bestPath = parsed.GetValue(output)!;
            var loaded = await DataCommands.LoadAsync(parsed, terminal, DatasetCatalog.Mnist, ct,
                dataFiles => OutputPath.CheckAll([(chartPath, "--heatmap"), (bestPath, "--out")], dataFiles));
            var data = loaded.Train;
            if (parsed.GetValue(subset) is int size && size < 20 * k)
                throw new InvalidOptionException("--subset", $"must be at least {20 * k} for {k} folds, got {size}");
            data = TrainingSession.TakeSubset(data, parsed.GetValue(subset), parsed.GetValue(TrainingRun.SubsetMode) == "first", seed);

            terminal.Log($"tuning {kind}: {settings.Count} settings x {k} folds on {data.Count:N0} images");
            var gate = new Lock();
            int done = 0;
            var result = ParameterSearch.Run(data, settings, k, seed, (train, p, token) => entry.Create(entry.WithParameters(shared, p)).Fit(TrainingSet.All(train), cancellationToken: token).Model, Math.Min(2, Tensors.WorkerPool.Threads), trial =>
            {
                lock (gate)
                    terminal.Log($"trial {++done}/{settings.Count} {Format(trial.Parameters)} cv={trial.CvMean:F4}±{trial.CvStd:F4} time={trial.Seconds:F1}s");
            }, ct);

            SearchChart.Save(parameterGrid, result, chartPath, $"{kind}: {k}-fold CV accuracy");
            Terminal.Wrote(chartPath, "cross-validation chart");
            AtomicFile.WriteAllBytes(bestPath, System.Text.Encoding.UTF8.GetBytes(JsonOutput.Serialize(new { kind, best = result.Best.Parameters, best_cv_accuracy = result.Best.CvMean, folds = k, train_count = data.Count, seed, deskew = parsed.GetValue(TrainingRun.DeskewOption) })));
            Terminal.Wrote(bestPath, "best parameters");

            if (parsed.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Print(new
                {
                    kind,
                    folds = k,
                    best = result.Best.Parameters,
                    best_cv_accuracy = result.Best.CvMean,
                    trials = result.Trials.Select(r => new { @params = r.Parameters, cv_mean = r.CvMean, cv_std = r.CvStd, seconds = Math.Round(r.Seconds, 3) }),
                    heatmap = Path.GetFullPath(chartPath),
                    best_file = Path.GetFullPath(bestPath),
                    train_count = data.Count,
                });
                return CommandRunner.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var (name, _) in parameterGrid.Axes)
                table.AddColumn(new TableColumn(name).RightAligned());
            table.AddColumn(new TableColumn("cv mean").RightAligned()).AddColumn(new TableColumn("cv std").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned());
            foreach (var r in result.Trials)
            {
                bool best = ReferenceEquals(r, result.Best);
                var cells = parameterGrid.Axes.Select(a => r.Parameters[a.Name].ToString("G4", System.Globalization.CultureInfo.InvariantCulture))
                    .Append($"{r.CvMean:F4}").Append($"{r.CvStd:F4}").Append($"{r.Seconds:F1}")
                    .Select(c => best ? $"[green bold]{c}[/]" : c);
                table.AddRow(cells.ToArray());
            }
            terminal.Out.Write(table);
            terminal.Out.MarkupLineInterpolated($"best {Format(result.Best.Parameters)}: cv accuracy {result.Best.CvMean * 100:F2}% over {k} folds of {data.Count:N0} images");
            return CommandRunner.Ok;
        });
        return cmd;
    }

    private static string Format(IReadOnlyDictionary<string, double> p) =>
        string.Join(" ", p.Select(kv => $"{kv.Key}={kv.Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}"));
}
