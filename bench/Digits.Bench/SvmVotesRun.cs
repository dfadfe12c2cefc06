using Digits.Classical;
using Digits.Data;

namespace Digits.Bench;

/// <summary>
/// Compares the two ways a one-vs-one kernel SVM can name a class: the argmax of pairwise-coupled probabilities
/// (what <see cref="KernelSvm.Predict"/> returns) and majority voting over the pairs (libsvm's and scikit-learn's
/// <c>predict</c>). Scores both on the validation split a model was trained beside (10%, stratified, the seed given)
/// and on the test set. Usage: <c>-- svm-votes DATA SEED MODEL...</c>.
/// </summary>
internal static class SvmVotesRun
{
    public static void Print(string[] args)
    {
        var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = args[0], AllowDownload = false });
        LoadedDataset data = store.LoadAsync(DatasetCatalog.Mnist).GetAwaiter().GetResult();
        ulong seed = ulong.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        LabeledImages validation = data.Train.Subset(StratifiedSplit.Create(data.Train.Labels, 0.1, seed).Validation);
        foreach (string path in args.Skip(2))
        {
            var model = (KernelSvm)ModelLoader.Load(path);
            Console.WriteLine($"{Path.GetFileName(path)}: validation {Score(model, validation)}, test {Score(model, data.Test)}");
        }
    }

    private static string Score(KernelSvm model, LabeledImages set)
    {
        var probabilities = new float[set.Count * 10];
        var votes = new int[set.Count];
        model.Predict(set.Pixels, set.Count, probabilities);
        model.PredictVotes(set.Pixels, set.Count, votes);
        int coupled = 0, voted = 0;
        for (int i = 0; i < set.Count; i++)
        {
            int best = 0;
            for (int c = 1; c < 10; c++)
            {
                best = probabilities[i * 10 + c] > probabilities[i * 10 + best] ? c : best;
            }
            coupled += best == set.Labels[i] ? 1 : 0;
            voted += votes[i] == set.Labels[i] ? 1 : 0;
        }
        int hash = 0;
        for (int i = 0; i < set.Count; i++)
        {
            int best = 0;
            for (int c = 1; c < 10; c++)
            {
                best = probabilities[i * 10 + c] > probabilities[i * 10 + best] ? c : best;
            }
            hash = hash * 31 + best;
        }
        return $"coupled {(double)coupled / set.Count:P2} ({coupled}, predictions hash {hash:x8}), votes {(double)voted / set.Count:P2} ({voted})";
    }
}
