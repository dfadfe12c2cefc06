using System.CommandLine;
using Digits.Classical;
using Digits.Evaluation;

namespace Digits.Cli;

/// <summary><c>digits train logreg|linear-svm</c>: the classical models, with their regularization as options.</summary>
internal static class TrainClassicalCommand
{
    public static Command LogReg()
    {
        var c = new Option<double>("--C") { Description = $"Inverse L2 strength, as in scikit-learn (default {SoftmaxRegressionOptions.Defaults.C}, chosen on a validation split)", DefaultValueFactory = _ => SoftmaxRegressionOptions.Defaults.C, HelpName = "C" };
        var iterations = new Option<int>("--max-iterations") { Description = "L-BFGS iteration cap", DefaultValueFactory = _ => SoftmaxRegressionOptions.Defaults.MaxIterations, HelpName = "N" };
        var validation = TrainingRun.ValidationOption(0);
        var cmd = new Command("logreg", "Multinomial logistic (softmax) regression with L2, fitted by L-BFGS");
        TrainingRun.AddCommonOptions(cmd, validation);
        cmd.Options.Add(c);
        cmd.Options.Add(iterations);
        cmd.Options.Add(TrainingRun.DeskewOption);
        cmd.SetAction((parsed, ct) =>
        {
            var options = new SoftmaxRegressionOptions
            {
                C = parsed.GetValue(c),
                MaxIterations = parsed.GetValue(iterations),
                Deskew = parsed.GetValue(TrainingRun.DeskewOption),
                Seed = (long)parsed.GetValue(TrainingRun.Seed),
            };
            UsageMessages.Validate(options.Validate);
            return TrainingRun.RunAsync(parsed, "logreg", null, validation, (data, terminal, token) =>
                Fit(data, set => new SoftmaxRegressionTrainer(options).Fit(set, cancellationToken: token), token), ct);
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
        var validation = TrainingRun.ValidationOption(0);
        var cmd = new Command("linear-svm", "Linear SVM by dual coordinate descent (Crammer-Singer or one-vs-rest)");
        TrainingRun.AddCommonOptions(cmd, validation);
        cmd.Options.Add(c);
        cmd.Options.Add(multiclass);
        cmd.Options.Add(loss);
        cmd.Options.Add(TrainingRun.DeskewOption);
        cmd.SetAction((parsed, ct) =>
        {
            var options = new LinearSvmOptions
            {
                C = parsed.GetValue(c),
                Multiclass = parsed.GetValue(multiclass) == "ovr" ? LinearSvmMulticlass.OneVsRest : LinearSvmMulticlass.CrammerSinger,
                Loss = parsed.GetValue(loss) == "hinge" ? LinearSvmLoss.Hinge : LinearSvmLoss.SquaredHinge,
                Deskew = parsed.GetValue(TrainingRun.DeskewOption),
                Seed = (long)parsed.GetValue(TrainingRun.Seed),
            };
            UsageMessages.Validate(options.Validate);
            return TrainingRun.RunAsync(parsed, "linear-svm", null, validation, (data, terminal, token) =>
                Fit(data, set => new LinearSvmTrainer(options).Fit(set, token), token), ct);
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
        var validation = TrainingRun.ValidationOption(0);
        var cmd = new Command("svm", "Kernel SVM (C-SVC, RBF or polynomial) by SMO with second-order working sets, one-vs-one");
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
            var options = new KernelSvmOptions
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
                Seed = (long)parsed.GetValue(TrainingRun.Seed),
            };
            UsageMessages.Validate(options.Validate);
            return TrainingRun.RunAsync(parsed, "svm", null, validation, (data, terminal, token) =>
                Fit(data, set => new KernelSvmTrainer(options).Fit(set, token), token), ct);
        });
        return cmd;
    }

    /// <summary>Fits on the training part and scores the validation part, if any.</summary>
    public static TrainedModel Fit(TrainingData data, Func<Data.LabeledImages, Persistence.IPersistableModel> fit, CancellationToken ct)
    {
        var (train, validation) = data.Materialize();
        var model = fit(train);
        double? validationAccuracy = validation is null ? null
            : Evaluator.Evaluate(model, validation.Pixels, validation.Labels, validation.Count, cancellationToken: ct).Accuracy;
        return new TrainedModel(model, validationAccuracy, null, false);
    }
}
