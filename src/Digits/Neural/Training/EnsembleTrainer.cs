using System.Globalization;
using Digits.Evaluation;
using Digits.Training;

namespace Digits.Neural.Training;

/// <summary>
/// Trains an ensemble of one recipe: member i uses seed SEED+i, and for a recipe with
/// <see cref="CnnRecipe.AlternateAugmentation"/> every other member uses it; with validation images, greedy forward
/// selection (<see cref="EnsembleSelection"/>) keeps the members whose averaged probabilities do best there.
/// </summary>
/// <remarks>
/// Interrupted, it keeps the members so far without the validation passes of selection, so that Ctrl+C is answered at
/// once; a signal during selection does the same. A member that diverges ends the run with the members finished so
/// far (and the diverging one's last finite epoch) in <see cref="TrainerResult.Diverged"/>'s result.
/// </remarks>
public sealed class EnsembleTrainer : ITrainer
{
    /// <param name="recipe">The members' recipe; its <see cref="CnnTrainingOptions.CheckpointPath"/>, if any, is the
    /// base of every member's checkpoint (<see cref="MemberCheckpoint"/>).</param>
    /// <param name="members">How many members to train, 2 to 20.</param>
    public EnsembleTrainer(CnnRecipe recipe, int members)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(members, 20);
        Recipe = recipe;
        Members = members;
    }

    public CnnRecipe Recipe { get; }

    public int Members { get; }

    public string Name => $"{Recipe.Name}-ensemble{Members}";

    public string Kind => Persistence.ModelKind.Ensemble;

    string? ITrainer.Recipe => Recipe.Name;

    /// <summary>
    /// Where member <paramref name="member"/> (from 0) keeps its checkpoint: <c>ens.safetensors</c> gives
    /// <c>ens.m1.safetensors</c>, <c>ens.m2.safetensors</c>, … so that a resumed run skips finished members and
    /// continues the one that was cut off.
    /// </summary>
    public static string MemberCheckpoint(string path, int member) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", $"{Path.GetFileNameWithoutExtension(path)}.m{member + 1}{Path.GetExtension(path)}");

    /// <summary>Every member's checkpoint for a run whose checkpoint is <paramref name="path"/>.</summary>
    public IReadOnlyList<string> Checkpoints(string path) => [.. Enumerable.Range(0, Members).Select(m => MemberCheckpoint(path, m))];

    public TrainerResult Fit(TrainingSet data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var options = Recipe.Training;
        var models = new List<CnnClassifier>();
        var history = new List<EpochSummary>();
        var notes = new List<string>();
        bool interrupted = false;
        int epochs = 0;
        for (int m = 0; m < Members && !interrupted; m++)
        {
            var member = Recipe with
            {
                Training = options with
                {
                    Seed = options.Seed + (ulong)m,
                    Augmentation = m % 2 == 1 && options.Augmentation is not null && Recipe.AlternateAugmentation is { } alternate
                        ? alternate : options.Augmentation,
                    CheckpointPath = options.CheckpointPath is { } path ? MemberCheckpoint(path, m) : null,
                },
            };
            int number = m + 1;
            string setup = string.Create(CultureInfo.InvariantCulture, $"seed {member.Training.Seed}{(member.Training.Augmentation is { ElasticAlpha: > 0f } a ? $", elastic α={a.ElasticAlpha} σ={a.ElasticSigma}" : "")}");
            IProgress<TrainingProgress>? memberProgress = progress is null ? null
                : new MemberProgress(p => progress.Report(p with { Member = number, Members = Members, MemberSetup = setup }));
            CnnTrainingResult result;
            try
            {
                result = new CnnTrainer(member).Train(data.Images, data.TrainIndices, data.ValidationIndices, memberProgress, cancellationToken: cancellationToken);
            }
            catch (TrainingDivergedException e)
            {
                if (e.LastFinite is not null)
                    models.Add(e.LastFinite);
                if (models.Count == 0)
                    throw;
                return new TrainerResult(new EnsembleClassifier(models), null, epochs + e.LastFiniteEpoch, Interrupted: true, history, e, notes);
            }
            // Activation buffers grow only when a member predicts, and only up to the ensemble's member batch.
            models.Add(result.Model.WithMaxBatch(EnsembleClassifier.MemberMaxBatch));
            epochs += result.History.Count;
            history.AddRange(result.History);
            interrupted = result.Interrupted || cancellationToken.IsCancellationRequested;
            // The member's training network (activations and gradients for a whole batch, a few hundred MB) is
            // garbage now; collect it before the next member allocates its own, so that they never coexist.
            result = null!;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        double? validationAccuracy = null;
        if (data.ValidationIndices is { } v && !interrupted)
        {
            var validation = data.Images.Subset(v);
            try
            {
                var chosen = Select(models, validation, notes, cancellationToken);
                validationAccuracy = Evaluator.Evaluate(new EnsembleClassifier(chosen), validation.Pixels, validation.Labels, validation.Count, cancellationToken: cancellationToken).Accuracy;
                models = chosen;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                validationAccuracy = null;
            }
        }
        return new TrainerResult(new EnsembleClassifier(models), validationAccuracy, epochs, interrupted, history, Notes: notes);
    }

    /// <summary>The members <see cref="EnsembleSelection"/> keeps on the validation images, with a note of each
    /// member's validation accuracy and of the choice.</summary>
    private static List<CnnClassifier> Select(List<CnnClassifier> models, Data.LabeledImages validation, List<string> notes, CancellationToken cancellationToken)
    {
        int classes = models[0].Labels.Count;
        var probabilities = new List<float[]>(models.Count);
        for (int m = 0; m < models.Count; m++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var p = new float[validation.Count * classes];
            models[m].Predict(validation.Pixels, validation.Count, p);
            probabilities.Add(p);
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"member {m + 1}: validation accuracy {Metrics.Accuracy(validation.Labels, p, classes) * 100:F2}%"));
        }
        int[] chosen = EnsembleSelection.Select(probabilities, validation.Labels, classes);
        notes.Add($"ensemble selection on validation keeps members {string.Join(", ", chosen.Select(i => i + 1))} of {models.Count}");
        return [.. chosen.Select(i => models[i])];
    }

    private sealed class MemberProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
