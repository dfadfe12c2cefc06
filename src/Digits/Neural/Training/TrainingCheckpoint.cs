using System.Text.Json;
using System.Text.Json.Nodes;
using Digits.Evaluation;
using Digits.Neural.Optimizers;
using Digits.Persistence;

namespace Digits.Neural.Training;

/// <summary>
/// The best model so far plus everything needed to continue training from it exactly as an uninterrupted run
/// would. It is an ordinary <c>cnn</c> model file (so <see cref="CnnClassifier.FromModelFile"/> loads it) with
/// extra tensors and metrics:
/// <list type="bullet">
/// <item>tensors <c>optim.m</c> and <c>optim.v</c> (Adam's moments) or <c>optim.velocity</c> (SGD's momentum),
/// laid out like the network's parameters;</item>
/// <item>metrics <c>{"epoch", "train_loss", …, "training_state": {"epochs_done", "optimizer", "optimizer_steps",
/// "dropout_masks", "best_epoch", "best_validation_accuracy", "history": [...]}}</c>.</item>
/// </list>
/// Shuffling and augmentation are keyed by (seed, epoch), so the epoch count is the only random-stream position to
/// keep besides the dropout layers' mask counters; BatchNorm's running statistics are ordinary buffers.
/// </summary>
internal sealed record TrainingCheckpoint(
    CnnClassifier Model, int EpochsDone, OptimizerKind Optimizer, long OptimizerSteps, ulong[] DropoutMasks,
    float[][] OptimizerState, int BestEpoch, double? BestValidationAccuracy, IReadOnlyList<EpochSummary> History)
{
    private const string StateKey = "training_state";

    /// <summary>Writes the checkpoint atomically; <paramref name="provenance"/> supplies command, seed, data hash and parent.</summary>
    public void Save(string path, ModelMetadata provenance)
    {
        // The stored weights are the best epoch's, which is the last one except in a finished run's final checkpoint.
        EpochSummary best = BestEpoch >= 1 && BestEpoch <= History.Count ? History[BestEpoch - 1] : History[^1];
        var metrics = new JsonObject
        {
            ["epoch"] = best.Point.Epoch,
            ["train_loss"] = best.Point.TrainLoss,
            ["train_accuracy"] = best.Point.TrainAccuracy,
            ["validation_loss"] = best.Point.ValidationLoss,
            ["validation_accuracy"] = best.Point.ValidationAccuracy,
            [StateKey] = new JsonObject
            {
                ["epochs_done"] = EpochsDone,
                ["optimizer"] = Optimizer.ToString(),
                ["optimizer_steps"] = OptimizerSteps,
                ["dropout_masks"] = new JsonArray([.. DropoutMasks.Select(m => (JsonNode)m)]),
                ["best_epoch"] = BestEpoch,
                ["best_validation_accuracy"] = BestValidationAccuracy,
                ["history"] = new JsonArray([.. History.Select(ToJson)]),
            },
        };
        ModelMetadata metadata = provenance with
        {
            Kind = Model.Kind,
            Recipe = Model.Recipe,
            Labels = Model.Labels,
            Architecture = Model.Architecture,
            Preprocessing = Model.Preprocessing,
            Metrics = metrics.ToJsonString(),
        };
        string[] names = OptimizerStateNames(Optimizer);
        int[] shape = [Model.Parameters.Values.Length];
        ModelFile.Save(path, metadata, Model.Tensors().Concat(names.Select((name, i) => TensorData.FromFloats(name, OptimizerState[i], shape))));
    }

    /// <exception cref="DigitsException">The file is not a checkpoint, or its state is incomplete.</exception>
    public static TrainingCheckpoint Load(string path)
    {
        ModelFile file = ModelFile.Load(path);
        CnnClassifier model = CnnClassifier.FromModelFile(file);
        try
        {
            JsonNode state = JsonNode.Parse(file.Metadata.Metrics)?[StateKey]
                ?? throw new DigitsException(path, "is a model file but not a training checkpoint (no training_state in metrics)");
            var optimizer = Enum.Parse<OptimizerKind>(state["optimizer"]!.GetValue<string>());
            int length = model.Parameters.Values.Length;
            float[][] optimizerState = [.. OptimizerStateNames(optimizer).Select(name => file.RequireFloats(name, length))];
            return new TrainingCheckpoint(
                model,
                state["epochs_done"]!.GetValue<int>(),
                optimizer,
                state["optimizer_steps"]!.GetValue<long>(),
                [.. state["dropout_masks"]!.AsArray().Select(m => m!.GetValue<ulong>())],
                optimizerState,
                state["best_epoch"]!.GetValue<int>(),
                state["best_validation_accuracy"]?.GetValue<double>(),
                [.. state["history"]!.AsArray().Select(FromJson)]);
        }
        catch (Exception error) when (error is JsonException or NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new DigitsException(path, $"training_state is incomplete or malformed: {error.Message}", error);
        }
    }

    /// <summary>Copies the optimizer's moments and step count (what <see cref="OptimizerState"/> holds).</summary>
    public static float[][] CaptureOptimizer(Optimizer optimizer) => optimizer switch
    {
        Adam adam => [(float[])adam.FirstMoment.Clone(), (float[])adam.SecondMoment.Clone()],
        Sgd sgd => [(float[])sgd.Velocity.Clone()],
        _ => throw new ArgumentException($"unsupported optimizer {optimizer.GetType().Name}", nameof(optimizer)),
    };

    /// <summary>Puts this checkpoint's optimizer state into <paramref name="optimizer"/>.</summary>
    public void RestoreOptimizer(Optimizer optimizer)
    {
        float[][] targets = optimizer switch
        {
            Adam adam => [adam.FirstMoment, adam.SecondMoment],
            Sgd sgd => [sgd.Velocity],
            _ => throw new ArgumentException($"unsupported optimizer {optimizer.GetType().Name}", nameof(optimizer)),
        };
        for (int i = 0; i < targets.Length; i++)
        {
            OptimizerState[i].CopyTo(targets[i], 0);
        }
        optimizer.Steps = OptimizerSteps;
    }

    private static string[] OptimizerStateNames(OptimizerKind kind) =>
        kind == OptimizerKind.SgdNesterov ? ["optim.velocity"] : ["optim.m", "optim.v"];

    private static JsonNode ToJson(EpochSummary summary) => new JsonObject
    {
        ["epoch"] = summary.Point.Epoch,
        ["train_loss"] = summary.Point.TrainLoss,
        ["train_accuracy"] = summary.Point.TrainAccuracy,
        ["validation_loss"] = summary.Point.ValidationLoss,
        ["validation_accuracy"] = summary.Point.ValidationAccuracy,
        ["seconds"] = summary.Seconds,
        ["learning_rate"] = summary.LearningRate,
        ["improved"] = summary.Improved,
    };

    private static EpochSummary FromJson(JsonNode? node) => new(
        new LearningCurvePoint(
            node!["epoch"]!.GetValue<int>(),
            node["train_loss"]!.GetValue<double>(),
            node["train_accuracy"]!.GetValue<double>(),
            node["validation_loss"]?.GetValue<double>(),
            node["validation_accuracy"]?.GetValue<double>()),
        node["seconds"]!.GetValue<double>(),
        node["learning_rate"]!.GetValue<double>(),
        node["improved"]!.GetValue<bool>());
}
