using System.CommandLine;
using Digits.Imaging;
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
        var stroke = new Option<float?>("--stroke") { Description = "Augment stroke width too: up to PX pixels wider or PX/4 narrower, as heavier or lighter pens and small digits in photos give (default: the recipe's, 0 for every recipe)", HelpName = "PX" };
        var hollow = new Option<float?>("--hollow") { Description = "Augment with hollow strokes too: this share (0 to 1) of images drawn as outlines, as bubble lettering and outline pens give (default: the recipe's, 0 for every recipe)", HelpName = "SHARE" };
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
        cmd.Options.Add(stroke);
        cmd.Options.Add(hollow);
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
                    Augmentation = parsed.GetValue(noAugment) ? null
                        : WithHollow(WithStroke(recipe.Training.Augmentation, parsed.GetValue(stroke)), parsed.GetValue(hollow)),
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

    /// <exception cref="InvalidOptionException">A negative or non-finite width, or one past a third of the image.</exception>
    private static AugmentationSettings? WithStroke(AugmentationSettings? augmentation, float? pixels)
    {
        if (pixels is not float px)
            return augmentation;
        if (!(px >= 0f && px <= 8f))
            throw new InvalidOptionException("--stroke", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be 0 to 8 pixels, got {px}"));
        return (augmentation ?? AugmentationSettings.None) with { StrokePixels = px };
    }

    /// <exception cref="InvalidOptionException">A share outside [0, 1].</exception>
    private static AugmentationSettings? WithHollow(AugmentationSettings? augmentation, float? share)
    {
        if (share is not float s)
            return augmentation;
        if (!(s >= 0f && s <= 1f))
            throw new InvalidOptionException("--hollow", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be a share from 0 to 1, got {s}"));
        return (augmentation ?? AugmentationSettings.None) with { HollowShare = s };
    }
}
