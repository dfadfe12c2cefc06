using System.CommandLine;
using System.Text.Json;
using Digits.Classical;
using Digits.Data;
using Digits.Evaluation;
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
    /// <summary>
    /// What can be tuned for each kind, and how one setting becomes a checked trial. A parameter left out of the grid
    /// keeps its default (tuning only C for an SVM uses the default gamma).
    /// </summary>
    private static readonly Dictionary<string, (string[] Parameters, string DefaultGrid, Func<IReadOnlyDictionary<string, double>, FixedSettings, Trial> Build)> Kinds = new()
    {
        ["logreg"] = (["C"], "C=0.01,0.03,0.1,0.3,1", (p, s) =>
        {
            var options = new SoftmaxRegressionOptions { C = p.GetValueOrDefault("C", SoftmaxRegressionOptions.Defaults.C), Deskew = s.Deskew };
            return new Trial(options.Validate, (train, ct) => new SoftmaxRegressionTrainer(options).Fit(train, cancellationToken: ct));
        }),
        ["linear-svm"] = (["C"], "C=0.003,0.01,0.03,0.1,0.3", (p, s) =>
        {
            var options = new LinearSvmOptions { C = p.GetValueOrDefault("C", LinearSvmOptions.Defaults.C), Deskew = s.Deskew };
            return new Trial(options.Validate, (train, ct) => new LinearSvmTrainer(options).Fit(train, ct));
        }),
        ["svm"] = (["C", "gamma"], "C=1,5,10;gamma=0.01,0.02,0.05", (p, s) =>
        {
            var options = new KernelSvmOptions
            {
                C = p.GetValueOrDefault("C", KernelSvmOptions.Defaults.C), Gamma = p.GetValueOrDefault("gamma", KernelSvmOptions.Defaults.Gamma),
                Kernel = s.Kernel, Degree = s.Degree, Coef0 = s.Coef0, Deskew = s.Deskew, Threads = 1,
            };
            return new Trial(options.Validate, (train, ct) => new KernelSvmTrainer(options).Fit(train, ct));
        }),
    };

    /// <summary>One setting of a kind's options: its argument check and its fit.</summary>
    private sealed record Trial(Action Validate, Func<LabeledImages, CancellationToken, IClassifier> Fit);

    /// <summary>The settings every trial shares: preprocessing, and for the kernel SVM the kernel's form.</summary>
    private sealed record FixedSettings(bool Deskew, SvmKernelType Kernel, int Degree, double Coef0);

    public static Command Create()
    {
        var tune = new Command("tune", "Choose hyperparameters by stratified k-fold cross-validation on the training set");
        foreach (var (kind, spec) in Kinds)
            tune.Subcommands.Add(CreateFor(kind, spec.Parameters, spec.DefaultGrid, spec.Build));
        return tune;
    }

    private static Command CreateFor(string kind, string[] parameters, string defaultGrid, Func<IReadOnlyDictionary<string, double>, FixedSettings, Trial> build)
    {
        var kernel = new Option<string>("--kernel") { Description = "rbf: exp(-gamma·|x-y|²), or poly: (gamma·x·y + coef0)^degree", DefaultValueFactory = _ => "rbf", HelpName = "rbf|poly" };
        kernel.AcceptOnlyFromAmong("rbf", "poly");
        var degree = new Option<int>("--degree") { Description = $"Polynomial degree (default {KernelSvmOptions.Defaults.Degree})", DefaultValueFactory = _ => KernelSvmOptions.Defaults.Degree, HelpName = "N" };
        var coef0 = new Option<double>("--coef0") { Description = $"Polynomial offset (default {KernelSvmOptions.Defaults.Coef0})", DefaultValueFactory = _ => KernelSvmOptions.Defaults.Coef0, HelpName = "X" };
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
        if (kind == "svm")
        {
            cmd.Options.Add(kernel);
            cmd.Options.Add(degree);
            cmd.Options.Add(coef0);
        }
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

            var fixedSettings = new FixedSettings(parsed.GetValue(TrainingRun.DeskewOption),
                kind == "svm" && parsed.GetValue(kernel) == "poly" ? SvmKernelType.Polynomial : SvmKernelType.Rbf,
                kind == "svm" ? parsed.GetValue(degree) : KernelSvmOptions.Defaults.Degree,
                kind == "svm" ? parsed.GetValue(coef0) : KernelSvmOptions.Defaults.Coef0);
            if (fixedSettings.Degree is < 1 or > 10)
                throw new InvalidOptionException("--degree", $"must be 1 to 10, got {fixedSettings.Degree}");
            // Every setting is checked before the first fit, so that a bad value in the grid costs nothing.
            foreach (var setting in settings)
            {
                try
                {
                    build(setting, fixedSettings).Validate();
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
            data = TrainingRun.TakeSubset(parsed, data, parsed.GetValue(subset), seed);

            terminal.Log($"tuning {kind}: {settings.Count} settings x {k} folds on {data.Count:N0} images");
            var gate = new Lock();
            int done = 0;
            var result = ParameterSearch.Run(data, settings, k, seed, (train, p, token) => build(p, fixedSettings).Fit(train, token), Math.Min(2, Tensors.WorkerPool.Threads), trial =>
            {
                lock (gate)
                    terminal.Log($"trial {++done}/{settings.Count} {Format(trial.Parameters)} cv={trial.CvMean:F4}±{trial.CvStd:F4} time={trial.Seconds:F1}s");
            }, ct);

            DrawChart(kind, parameterGrid, result, chartPath, k);
            Terminal.Wrote(chartPath, "cross-validation chart");
            AtomicFile.WriteAllBytes(bestPath, System.Text.Encoding.UTF8.GetBytes(JsonOutput.Serialize(new { kind, best = result.Best.Parameters, best_cv_accuracy = result.Best.CvMean, folds = k, train_count = data.Count, seed, deskew = fixedSettings.Deskew })));
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

    private static void DrawChart(string kind, ParameterGrid grid, SearchResult result, string path, int folds)
    {
        string title = $"{kind}: {folds}-fold CV accuracy";
        if (grid.Axes.Count == 1)
        {
            string name = grid.Axes[0].Name;
            var points = result.Trials.OrderBy(t => t.Parameters[name]).Select(t => new ParameterSweepPoint(t.Parameters[name], t.CvMean, t.CvStd)).ToArray();
            ParameterSweepChart.Save(name, points, path, title);
            return;
        }
        var (rowName, rows) = grid.Axes[0];
        var (columnName, columns) = grid.Axes[1];
        var mean = new double[rows.Length, columns.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                var trials = result.Trials.Where(t => t.Parameters[rowName] == rows[r] && t.Parameters[columnName] == columns[c]).ToArray();
                mean[r, c] = trials.Length == 0 ? double.NaN : trials.Max(t => t.CvMean);
            }
        }
        CvHeatmapChart.Save(rowName, rows, columnName, columns, mean, path, title);
    }
}
