using System.CommandLine;
using Digits.Data;
using Digits.Neural;
using Digits.Neural.Training;
using Spectre.Console;

namespace Digits.Cli;

/// <summary><c>digits train cnn|cnn-fast|keras</c>: trains a recipe (or an ensemble of them) on our own engine.</summary>
internal static class TrainCnnCommand
{
    /// <summary>The training options whose flag is not the kebab-case of the property name.</summary>
    private static readonly Dictionary<string, string> OptionFlags = new() { ["LearningRate"] = "--lr", ["CheckpointPath"] = "--checkpoint" };

    /// <param name="defaultValidation">The recipe's held-out fraction: 0 where its settings were fixed beforehand on a
    /// validation split and the final model trains on everything (as the PyTorch anchors do), 0.1 where the best epoch
    /// is picked during training.</param>
    public static Command Create(string recipeName, string description, double defaultValidation)
    {
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (default: the recipe's)", HelpName = "N" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Images per step (default: the recipe's)", HelpName = "N" };
        var lr = new Option<float?>("--lr") { Description = "Peak learning rate (default: the recipe's)", HelpName = "RATE" };
        var noAugment = new Option<bool>("--no-augment") { Description = "Turn off the recipe's data augmentation" };
        var ensemble = new Option<int>("--ensemble") { Description = "Train N models (seeds SEED, SEED+1, …; for cnn every other one with elastic distortion), keep those that validation picks, and average their probabilities", DefaultValueFactory = _ => 1, HelpName = "N" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Save the best epoch here as training goes (with optimizer state, for --resume); with --ensemble, member i uses FILE with .mi before its extension", HelpName = "FILE" };
        var resume = new Option<bool>("--resume") { Description = "Continue from --checkpoint if it exists" };
        var validation = TrainingRun.ValidationOption(defaultValidation);

        var cmd = new Command(recipeName, description);
        TrainingRun.AddCommonOptions(cmd, validation);
        cmd.Options.Add(epochs);
        cmd.Options.Add(batchSize);
        cmd.Options.Add(lr);
        cmd.Options.Add(noAugment);
        cmd.Options.Add(ensemble);
        cmd.Options.Add(checkpoint);
        cmd.Options.Add(resume);
        cmd.SetAction(async (parsed, ct) =>
        {
            var recipe = Recipes.Get(recipeName);
            var options = recipe.Training with
            {
                Epochs = parsed.GetValue(epochs) ?? recipe.Training.Epochs,
                BatchSize = parsed.GetValue(batchSize) ?? recipe.Training.BatchSize,
                LearningRate = parsed.GetValue(lr) ?? recipe.Training.LearningRate,
                Augmentation = parsed.GetValue(noAugment) ? null : recipe.Training.Augmentation,
                Seed = parsed.GetValue(TrainingRun.Seed),
                Threads = TrainingRun.RequestedThreads(parsed),
                CheckpointPath = parsed.GetValue(checkpoint),
                Resume = parsed.GetValue(resume),
            };
            int members = parsed.GetValue(ensemble);
            if (members is < 1 or > 20)
                throw new InvalidOptionException("--ensemble", $"must be 1 to 20, got {members}");
            if (options.Resume && options.CheckpointPath is null)
                throw new InvalidOptionException("--resume", "needs --checkpoint FILE");
            UsageMessages.Validate(options.Validate, OptionFlags);

            return await TrainingRun.RunAsync(parsed, members > 1 ? "ensemble" : "cnn", members > 1 ? $"{recipeName}-ensemble{members}" : recipeName, validation,
                (data, terminal, token) => members == 1
                    ? TrainOne(recipe with { Training = options }, data, terminal, token)
                    : TrainEnsemble(recipe, options, members, data, terminal, token), ct,
                options.CheckpointPath is not { } path ? [] : members == 1 ? [path] : [.. Enumerable.Range(0, members).Select(m => MemberCheckpoint(path, m))]);
        });
        return cmd;
    }

    private static TrainedModel TrainOne(CnnRecipe recipe, TrainingData data, Terminal terminal, CancellationToken ct)
    {
        CnnTrainingResult result;
        try
        {
            result = WithProgress(terminal, recipe.Name, recipe.Training.Epochs, progress =>
                new CnnTrainer(recipe).Train(data.Train, data.TrainIndices, data.ValidationIndices, progress, cancellationToken: ct));
        }
        catch (TrainingDivergedException e) when (e.LastFinite is not null)
        {
            return new TrainedModel(e.LastFinite, null, e.LastFiniteEpoch, Interrupted: true, Diverged: e);
        }
        return new TrainedModel(result.Model, result.BestValidationAccuracy, result.History.Count, result.Interrupted,
            result.History.Select(h => h.Point).ToArray());
    }

    private static TrainedModel TrainEnsemble(CnnRecipe recipe, CnnTrainingOptions options, int members, TrainingData data, Terminal terminal, CancellationToken ct)
    {
        var models = new List<CnnClassifier>();
        bool interrupted = false;
        int epochs = 0;
        for (int m = 0; m < members && !interrupted; m++)
        {
            var member = recipe with
            {
                Training = options with
                {
                    Seed = options.Seed + (ulong)m,
                    Augmentation = m % 2 == 1 && options.Augmentation is not null && recipe.AlternateAugmentation is { } alternate
                        ? alternate : options.Augmentation,
                    CheckpointPath = options.CheckpointPath is { } path ? MemberCheckpoint(path, m) : null,
                },
            };
            terminal.Log($"ensemble member {m + 1}/{members} (seed {member.Training.Seed}{(member.Training.Augmentation is { ElasticAlpha: > 0f } a ? $", elastic α={a.ElasticAlpha} σ={a.ElasticSigma}" : "")})");
            CnnTrainingResult result;
            try
            {
                result = WithProgress(terminal, $"{recipe.Name} {m + 1}/{members}", options.Epochs, progress =>
                    new CnnTrainer(member).Train(data.Train, data.TrainIndices, data.ValidationIndices, progress, cancellationToken: ct));
            }
            catch (TrainingDivergedException e)
            {
                // Keep the members finished so far, and the diverging one's last finite epoch, as the run's partial result.
                if (e.LastFinite is not null)
                    models.Add(e.LastFinite);
                if (models.Count == 0)
                    throw;
                return new TrainedModel(new EnsembleClassifier(models), null, epochs + e.LastFiniteEpoch, Interrupted: true, Diverged: e);
            }
            // Activation buffers grow only when a member predicts, and only up to the ensemble's member batch.
            models.Add(result.Model.WithMaxBatch(EnsembleClassifier.MemberMaxBatch));
            epochs += result.History.Count;
            interrupted = result.Interrupted || ct.IsCancellationRequested;
            // The member's training network (activations and gradients for a whole batch, a few hundred MB) is
            // garbage now; collect it before the next member allocates its own, so that they never coexist.
            result = null!;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        // Interrupted: keep the members so far as they are, without the validation passes of selection (seconds for
        // the cnn recipe), so that Ctrl+C is answered at once; a signal during selection does the same.
        double? validationAccuracy = null;
        if (data.ValidationIndices is { } v && !interrupted)
        {
            var validation = data.Train.Subset(v);
            try
            {
                var chosen = SelectMembers(models, validation, terminal, ct);
                validationAccuracy = Evaluation.Evaluator.Evaluate(new EnsembleClassifier(chosen), validation.Pixels, validation.Labels, validation.Count, cancellationToken: ct).Accuracy;
                models = chosen;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                interrupted = true;
                validationAccuracy = null;
            }
        }
        return new TrainedModel(new EnsembleClassifier(models), validationAccuracy, epochs, interrupted);
    }

    /// <summary>
    /// Keeps the members that <see cref="EnsembleSelection"/> picks on the validation images, and logs each member's
    /// validation accuracy and the choice.
    /// </summary>
    private static List<CnnClassifier> SelectMembers(List<CnnClassifier> models, LabeledImages validation, Terminal terminal, CancellationToken ct)
    {
        int classes = models[0].Labels.Count;
        var probabilities = new List<float[]>(models.Count);
        for (int m = 0; m < models.Count; m++)
        {
            var p = new float[validation.Count * classes];
            ct.ThrowIfCancellationRequested();
            models[m].Predict(validation.Pixels, validation.Count, p);
            probabilities.Add(p);
            terminal.Log($"member {m + 1}: validation accuracy {Evaluation.Metrics.Accuracy(validation.Labels, p, classes) * 100:F2}%");
        }
        int[] chosen = EnsembleSelection.Select(probabilities, validation.Labels, classes);
        terminal.Log($"ensemble selection on validation keeps members {string.Join(", ", chosen.Select(i => i + 1))} of {models.Count}");
        return [.. chosen.Select(i => models[i])];
    }

    /// <summary>
    /// Where ensemble member <paramref name="member"/> (from 0) keeps its checkpoint: <c>ens.safetensors</c> gives
    /// <c>ens.m1.safetensors</c>, <c>ens.m2.safetensors</c>, … so that <c>--resume</c> skips finished members and
    /// continues the one that was cut off.
    /// </summary>
    internal static string MemberCheckpoint(string path, int member) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", $"{Path.GetFileNameWithoutExtension(path)}.m{member + 1}{Path.GetExtension(path)}");

    /// <summary>
    /// Runs a training with a live progress bar (loss, accuracy, images/s) on a terminal, or the fixed epoch log line on
    /// stderr under --verbose; silent otherwise.
    /// </summary>
    private static CnnTrainingResult WithProgress(Terminal terminal, string label, int epochs, Func<IProgress<TrainingProgress>?, CnnTrainingResult> train)
    {
        if (!terminal.ShowProgress)
            return train(null);
        if (!terminal.Interactive)
            return train(new InlineProgress(p =>
            {
                if (p.EpochEnd is { } end)
                    terminal.Log(end.ToLogLine(p.Epochs));
            }));

        CnnTrainingResult result = null!;
        terminal.Err.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                result = train(new InlineProgress(p =>
                {
                    task ??= ctx.AddTask(label, maxValue: (double)p.Epochs * p.Batches);
                    task.Value = (double)(p.Epoch - 1) * p.Batches + p.Batch;
                    task.Description = $"{label} epoch {p.Epoch}/{p.Epochs} loss {p.RunningLoss:F4} acc {p.RunningAccuracy * 100:F1}% {p.ImagesPerSecond:F0} img/s";
                    if (p.EpochEnd is { } end)
                        terminal.Err.WriteLine(end.ToLogLine(p.Epochs));
                }));
                if (task is not null)
                    task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
