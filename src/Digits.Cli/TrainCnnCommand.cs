using System.CommandLine;
using Digits.Training;

namespace Digits.Cli;

/// <summary><c>digits train cnn|cnn-fast|keras</c>: maps the flags to a recipe's options (or an ensemble of it) and trains.</summary>
internal static class TrainCnnCommand
{
    /// <summary>The training options whose flag is not the kebab-case of the property name.</summary>
    private static readonly Dictionary<string, string> OptionFlags = new()
    {
        ["LearningRate"] = "--lr", ["CheckpointPath"] = "--checkpoint", ["Members"] = "--ensemble",
    };

    public static Command Create(TrainerEntry<CnnTrainerOptions> entry)
    {
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (default: the recipe's)", HelpName = "N" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Images per step (default: the recipe's)", HelpName = "N" };
        var lr = new Option<float?>("--lr") { Description = "Peak learning rate (default: the recipe's)", HelpName = "RATE" };
        var noAugment = new Option<bool>("--no-augment") { Description = "Turn off the recipe's data augmentation" };
        var ensemble = new Option<int>("--ensemble") { Description = "Train N models (seeds SEED, SEED+1, …; for cnn every other one with elastic distortion), keep those that validation picks, and average their probabilities", DefaultValueFactory = _ => 1, HelpName = "N" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Save the best epoch here as training goes (with optimizer state, for --resume); with --ensemble, member i uses FILE with .mi before its extension", HelpName = "FILE" };
        var resume = new Option<bool>("--resume") { Description = "Continue from --checkpoint if it exists" };
        var validation = TrainingRun.ValidationOption(entry.DefaultValidation);

        var cmd = new Command(entry.Name, entry.Description);
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
            var recipe = entry.Defaults.Recipe;
            var options = new CnnTrainerOptions(recipe with
            {
                Training = recipe.Training with
                {
                    Epochs = parsed.GetValue(epochs) ?? recipe.Training.Epochs,
                    BatchSize = parsed.GetValue(batchSize) ?? recipe.Training.BatchSize,
                    LearningRate = parsed.GetValue(lr) ?? recipe.Training.LearningRate,
                    Augmentation = parsed.GetValue(noAugment) ? null : recipe.Training.Augmentation,
                    Seed = parsed.GetValue(TrainingRun.Seed),
                    Threads = TrainingRun.RequestedThreads(parsed),
                    CheckpointPath = parsed.GetValue(checkpoint),
                    Resume = parsed.GetValue(resume),
                },
            }, parsed.GetValue(ensemble));
            if (options.Recipe.Training is { Resume: true, CheckpointPath: null })
                throw new InvalidOptionException("--resume", "needs --checkpoint FILE");
            UsageMessages.Validate(() => entry.Validate(options), OptionFlags);
            return await TrainingRun.RunAsync(parsed, validation, entry.Create(options), options.Checkpoints(), ct);
        });
        return cmd;
    }
}
