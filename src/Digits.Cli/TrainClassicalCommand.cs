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
            Validate(options.Validate);
            return TrainingRun.RunAsync(parsed, "logreg", null, validation, (data, terminal, token) =>
                Fit(data, set => new SoftmaxRegressionTrainer(options).Fit(set)), ct);
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
            Validate(options.Validate);
            return TrainingRun.RunAsync(parsed, "linear-svm", null, validation, (data, terminal, token) =>
                Fit(data, set => new LinearSvmTrainer(options).Fit(set)), ct);
        });
        return cmd;
    }

    /// <summary>Fits on the training part and scores the validation part, if any.</summary>
    public static TrainedModel Fit(TrainingData data, Func<Data.LabeledImages, Persistence.IPersistableModel> fit)
    {
        var (train, validation) = data.Materialize();
        var model = fit(train);
        double? validationAccuracy = validation is null ? null : Evaluator.Evaluate(model, validation.Pixels, validation.Labels, validation.Count).Accuracy;
        return new TrainedModel(model, validationAccuracy, null, false);
    }

    /// <summary>Turns an options record's argument check into a usage error naming the CLI option.</summary>
    public static void Validate(Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            string name = e.ParamName is { } p ? "--" + KebabCase(p.Split('.')[^1]) : "option";
            throw new UsageException(name, e.Message.Split(" (Parameter")[0]);
        }
    }

    private static string KebabCase(string name) => name == "C" ? "C" : string.Concat(name.Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(ch) : ch.ToString()));
}
