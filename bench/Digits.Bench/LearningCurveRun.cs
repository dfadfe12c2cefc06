using System.Globalization;
using Digits.Data;
using Digits.Evaluation;
using Digits.Neural;
using Digits.Neural.Training;

namespace Digits.Bench;

/// <summary>
/// Trains a recipe as <c>digits train RECIPE --subset N --epochs E --validation F</c> would (the same stratified
/// subset and split for seed 1), prints each epoch's figures and draws them with <see cref="LearningCurveChart"/>:
/// the learning curve in docs/images/ until <c>digits report</c> draws its own.
/// Usage: <c>-- learning-curve DATA OUT.png [RECIPE] [N] [EPOCHS] [FRACTION]</c>, defaults cnn-fast 5000 4 0.1.
/// </summary>
internal static class LearningCurveRun
{
    public static void Print(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        string recipeName = args.Length > 2 ? args[2] : "cnn-fast";
        int subset = args.Length > 3 ? int.Parse(args[3], culture) : 5000;
        int epochs = args.Length > 4 ? int.Parse(args[4], culture) : 4;
        double fraction = args.Length > 5 ? double.Parse(args[5], culture) : 0.1;
        const ulong seed = 1;

        var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = args[0], AllowDownload = false });
        LabeledImages all = store.LoadAsync(DatasetCatalog.Mnist).GetAwaiter().GetResult().Train;
        LabeledImages train = all.Subset(StratifiedSplit.Sample(all.Labels, subset, seed));
        var (trainIndices, validationIndices) = StratifiedSplit.Create(train.Labels, fraction, seed);
        var recipe = Recipes.Get(recipeName);
        recipe = recipe with { Training = recipe.Training with { Epochs = epochs, Seed = seed } };

        var result = new CnnTrainer(recipe).Train(train, trainIndices, validationIndices);
        var curve = result.History.Select(e => e.Point).ToArray();
        foreach (var p in curve)
        {
            Console.WriteLine(string.Create(culture,
                $"epoch {p.Epoch}: train loss {p.TrainLoss:F4} accuracy {p.TrainAccuracy:F4}, validation loss {p.ValidationLoss:F4} accuracy {p.ValidationAccuracy:F4}"));
        }
        string title = $"{recipeName}, {trainIndices.Length:N0} training images";
        LearningCurveChart.Save(curve, args[1], title);
        Console.WriteLine($"wrote {args[1]} ({result.Seconds:F1} s of training)");
    }
}
