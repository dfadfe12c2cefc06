using System.CommandLine;
using Digits.Classical;
using Digits.Training;

namespace Digits.Cli;

/// <summary><c>digits train logreg|linear-svm|svm</c>: maps the classical models' flags to their options and trains.</summary>
internal static class TrainClassicalCommand
{
    /// <summary>The kernel SVM's cache is set in megabytes on the command line.</summary>
    private static readonly Dictionary<string, string> CacheFlag = new() { ["CacheBytes"] = "--cache-mb" };

    public static Command LogReg()
    {
        var c = new Option<double>("--C") { Description = $"Inverse L2 strength, as in scikit-learn (default {SoftmaxRegressionOptions.Defaults.C}, chosen on a validation split)", DefaultValueFactory = _ => SoftmaxRegressionOptions.Defaults.C, HelpName = "C" };
        var iterations = new Option<int>("--max-iterations") { Description = "L-BFGS iteration cap", DefaultValueFactory = _ => SoftmaxRegressionOptions.Defaults.MaxIterations, HelpName = "N" };
        var entry = TrainerRegistry.LogReg;
        var validation = TrainingRun.ValidationOption(entry.DefaultValidation);
        var cmd = new Command(entry.Name, entry.Description);
        TrainingRun.AddCommonOptions(cmd, validation);
        cmd.Options.Add(c);
        cmd.Options.Add(iterations);
        cmd.Options.Add(TrainingRun.DeskewOption);
        cmd.SetAction((parsed, ct) =>
        {
            var options = entry.Defaults with
            {
                C = parsed.GetValue(c),
                MaxIterations = parsed.GetValue(iterations),
                Deskew = parsed.GetValue(TrainingRun.DeskewOption),
                Seed = parsed.GetValue(TrainingRun.Seed),
            };
            UsageMessages.Validate(() => entry.Validate(options));
            return TrainingRun.RunAsync(parsed, validation, entry.Create(options), [], ct);
        });
        return cmd;
    }

    public static Command LinearSvm()
    {
        var c = new Option<double>("--C") { Description = $"Misclassification penalty (default {LinearSvmOptions.Defaults.C}, chosen on a validation split)", DefaultValueFactory = _ => LinearSvmOptions.Defaults.C, HelpName = "C" };
        var multiclass = new Option<string>("--multiclass") { Description = "crammer-singer (one joint problem) or ovr (one against the rest)", DefaultValueFactory = _ => "crammer-singer", HelpName = "METHOD" };
        multiclass.AcceptOnlyFromAmong("crammer-singer", "ovr");
        var loss = new Option<string>("--loss") { Description = "hinge or squared-hinge (with --multiclass ovr)", DefaultValueFactory = _ => "squared-hinge", HelpName = "LOSS" };
        loss.AcceptOnlyFromAmong("hinge", "squared-hinge");
        var entry = TrainerRegistry.LinearSvm;
        var validation = TrainingRun.ValidationOption(entry.DefaultValidation);
        var cmd = new Command(entry.Name, entry.Description);
        TrainingRun.AddCommonOptions(cmd, validation);
        cmd.Options.Add(c);
        cmd.Options.Add(multiclass);
        cmd.Options.Add(loss);
        cmd.Options.Add(TrainingRun.DeskewOption);
        cmd.SetAction((parsed, ct) =>
        {
            var options = entry.Defaults with
            {
                C = parsed.GetValue(c),
                Multiclass = parsed.GetValue(multiclass) == "ovr" ? LinearSvmMulticlass.OneVsRest : LinearSvmMulticlass.CrammerSinger,
                Loss = parsed.GetValue(loss) == "hinge" ? LinearSvmLoss.Hinge : LinearSvmLoss.SquaredHinge,
                Deskew = parsed.GetValue(TrainingRun.DeskewOption),
                Seed = parsed.GetValue(TrainingRun.Seed),
            };
            UsageMessages.Validate(() => entry.Validate(options), CacheFlag);
            return TrainingRun.RunAsync(parsed, validation, entry.Create(options), [], ct);
        });
        return cmd;
    }

    public static Command KernelSvm()
    {
        var c = new Option<double>("--C") { Description = $"Misclassification penalty (default {KernelSvmOptions.Defaults.C})", DefaultValueFactory = _ => KernelSvmOptions.Defaults.C, HelpName = "C" };
        var kernel = new Option<string>("--kernel") { Description = "rbf: exp(-gamma·|x-y|²), or poly: (gamma·x·y + coef0)^degree", DefaultValueFactory = _ => "rbf", HelpName = "rbf|poly" };
        kernel.AcceptOnlyFromAmong("rbf", "poly");
        var gamma = new Option<double>("--gamma") { Description = $"Kernel width on pixels/255 (default {KernelSvmOptions.Defaults.Gamma})", DefaultValueFactory = _ => KernelSvmOptions.Defaults.Gamma, HelpName = "GAMMA" };
        var degree = new Option<int>("--degree") { Description = $"Polynomial degree (default {KernelSvmOptions.Defaults.Degree})", DefaultValueFactory = _ => KernelSvmOptions.Defaults.Degree, HelpName = "N" };
        var coef0 = new Option<double>("--coef0") { Description = $"Polynomial offset (default {KernelSvmOptions.Defaults.Coef0})", DefaultValueFactory = _ => KernelSvmOptions.Defaults.Coef0, HelpName = "X" };
        var virtualSv = new Option<bool>("--virtual-sv") { Description = "Fit twice: the second time on the support vectors plus copies moved one pixel each way (Schölkopf et al. 1996)" };
        var cache = new Option<int>("--cache-mb") { Description = "Kernel cache bound in MB (default 1024)", DefaultValueFactory = _ => (int)(KernelSvmOptions.Defaults.CacheBytes >> 20), HelpName = "MB" };
        var entry = TrainerRegistry.Svm;
        var validation = TrainingRun.ValidationOption(entry.DefaultValidation);
        var cmd = new Command(entry.Name, entry.Description);
        TrainingRun.AddCommonOptions(cmd, validation);
        cmd.Options.Add(c);
        cmd.Options.Add(kernel);
        cmd.Options.Add(gamma);
        cmd.Options.Add(degree);
        cmd.Options.Add(coef0);
        cmd.Options.Add(cache);
        cmd.Options.Add(virtualSv);
        cmd.Options.Add(TrainingRun.DeskewOption);
        cmd.SetAction((parsed, ct) =>
        {
            if (parsed.GetValue(cache) is var megabytes and < 0)
                throw new InvalidOptionException("--cache-mb", $"must not be negative, got {megabytes}");
            var options = entry.Defaults with
            {
                C = parsed.GetValue(c),
                Kernel = parsed.GetValue(kernel) == "poly" ? SvmKernelType.Polynomial : SvmKernelType.Rbf,
                Gamma = parsed.GetValue(gamma),
                Degree = parsed.GetValue(degree),
                Coef0 = parsed.GetValue(coef0),
                CacheBytes = (long)parsed.GetValue(cache) << 20,
                VirtualSupportVectors = parsed.GetValue(virtualSv),
                Deskew = parsed.GetValue(TrainingRun.DeskewOption),
                Threads = TrainingRun.RequestedThreads(parsed),
                Seed = parsed.GetValue(TrainingRun.Seed),
            };
            UsageMessages.Validate(() => entry.Validate(options), CacheFlag);
            return TrainingRun.RunAsync(parsed, validation, entry.Create(options), [], ct);
        });
        return cmd;
    }
}
