using Digits.Evaluation;
using Digits.Imaging;
using Digits.Neural;
using Digits.Neural.Training;

namespace Digits.Tests.Neural.Training;

public class CnnTrainerTests
{
    /// <summary>Calls back on the training thread, unlike <see cref="Progress{T}"/>, so a test can cancel at an exact batch.</summary>
    private sealed class Recorder(Action<TrainingProgress>? onReport = null) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];

        public void Report(TrainingProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    [Fact]
    public void A_tiny_recipe_learns_on_300_images_in_two_epochs()
    {
        var recorder = new Recorder();
        CnnTrainingResult result = new CnnTrainer(TinyRecipe.Create()).Train(TinyRecipe.Train(), TinyRecipe.Validation(), recorder);

        Assert.Equal(2, result.History.Count);
        Assert.True(result.History[1].Point.TrainLoss < result.History[0].Point.TrainLoss,
            $"train loss {result.History[0].Point.TrainLoss} then {result.History[1].Point.TrainLoss}");
        Assert.True(result.BestValidationAccuracy > 0.4, $"validation accuracy {result.BestValidationAccuracy}");
        Assert.False(result.Interrupted);
        Assert.Equal(2 * 10, recorder.Reports.Count(r => r.EpochEnd is null));
        Assert.Equal([1, 2], recorder.Reports.Where(r => r.EpochEnd is not null).Select(r => r.EpochEnd!.Point.Epoch));
        Assert.All(recorder.Reports, r => Assert.True(r.ImagesPerSecond > 0));
    }

    [Fact]
    public void The_same_seed_and_thread_count_give_identical_weights()
    {
        CnnRecipe recipe = TinyRecipe.Create();
        recipe = recipe with { Training = recipe.Training with { Augmentation = new AugmentationSettings(ElasticAlpha: 20f) } };
        float[] first = new CnnTrainer(recipe).Train(TinyRecipe.Train(), null).Model.Parameters.Values;
        float[] second = new CnnTrainer(recipe).Train(TinyRecipe.Train(), null).Model.Parameters.Values;
        float[] otherSeed = new CnnTrainer(recipe with { Training = recipe.Training with { Seed = 2 } }).Train(TinyRecipe.Train(), null).Model.Parameters.Values;
        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resuming_from_a_checkpoint_ends_with_the_weights_of_an_uninterrupted_run(bool cycleMomentum)
    {
        using var folder = new TempFolder();
        CnnRecipe recipe = TinyRecipe.Create();
        recipe = recipe with { Training = recipe.Training with { Epochs = 3, Augmentation = new AugmentationSettings(), CycleMomentum = cycleMomentum } };
        var train = TinyRecipe.Train();
        CnnTrainingResult uninterrupted = new CnnTrainer(recipe).Train(train, null);

        string checkpoint = folder.File("checkpoint.safetensors");
        var cancel = new CancellationTokenSource();
        var stopInEpochThree = new Recorder(r => { if (r.Epoch == 3 && r.Batch == 2) cancel.Cancel(); });
        CnnTrainingResult stopped = new CnnTrainer(recipe with { Training = recipe.Training with { CheckpointPath = checkpoint } })
            .Train(train, null, stopInEpochThree, cancellationToken: cancel.Token);
        Assert.True(stopped.Interrupted);
        Assert.Equal(2, stopped.BestEpoch);

        CnnTrainingResult resumed = new CnnTrainer(recipe with { Training = recipe.Training with { CheckpointPath = checkpoint, Resume = true } })
            .Train(train, null);
        Assert.Equal(uninterrupted.Model.Parameters.Values, resumed.Model.Parameters.Values);
        Assert.Equal(uninterrupted.Model.Parameters.Buffers, resumed.Model.Parameters.Buffers);
        Assert.Equal([1, 2, 3], resumed.History.Select(h => h.Point.Epoch));
    }

    [Fact]
    public void Cancelling_returns_the_best_model_so_far_and_keeps_its_checkpoint()
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("best.safetensors");
        CnnRecipe recipe = TinyRecipe.Create();
        recipe = recipe with { Training = recipe.Training with { Epochs = 4, CheckpointPath = checkpoint } };
        var cancel = new CancellationTokenSource();
        var recorder = new Recorder(r => { if (r.Epoch == 2 && r.Batch == 3) cancel.Cancel(); });

        CnnTrainingResult result = new CnnTrainer(recipe).Train(TinyRecipe.Train(), TinyRecipe.Validation(), recorder, cancellationToken: cancel.Token);

        Assert.True(result.Interrupted);
        Assert.Equal(1, result.BestEpoch);
        Assert.Single(result.History);
        Assert.Equal(3, recorder.Reports.Count(r => r.Epoch == 2));
        var saved = CnnClassifier.FromModelFile(Digits.Persistence.ModelFile.Load(checkpoint));
        Assert.Equal(saved.Parameters.Values, result.Model.Parameters.Values);
    }

    [Fact]
    public void A_huge_learning_rate_stops_training_at_the_batch_whose_loss_is_not_finite()
    {
        CnnRecipe recipe = TinyRecipe.Create();
        recipe = recipe with { Training = recipe.Training with { LearningRate = 1e9f } };
        var recorder = new Recorder();

        var e = Assert.Throws<TrainingDivergedException>(() =>
            new CnnTrainer(recipe).Train(TinyRecipe.Train(), TinyRecipe.Validation(), recorder));

        Assert.Equal(DivergenceSignal.TrainingLoss, e.Signal);
        Assert.Equal(1, e.Epoch);
        Assert.InRange(e.Batch, 1, 10);
        Assert.False(double.IsFinite(e.Value));
        // stopped at once: every batch before it was reported, and nothing after
        Assert.Equal(Enumerable.Range(1, e.Batch - 1), recorder.Reports.Select(r => r.Batch));
        Assert.Null(e.LastFinite);
        Assert.Equal("training", e.Subject);
        Assert.StartsWith($"training: the loss became {(double.IsNaN(e.Value) ? "NaN" : "infinite")} in epoch 1, batch {e.Batch} (learning rate ", e.Message);
        Assert.EndsWith("; try a lower learning rate (--lr, now 1e9), e.g. 10x lower: --lr 1e8", e.Message);
        Assert.Equal(1e9f, e.PeakLearningRate);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Divergence_after_a_finished_epoch_keeps_the_finite_checkpoint_and_returns_its_model(bool validate)
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("ck.safetensors");
        CnnRecipe recipe = TinyRecipe.Create();
        recipe = recipe with { Training = recipe.Training with { Epochs = 1, CheckpointPath = checkpoint } };
        var validation = validate ? TinyRecipe.Validation() : null;
        new CnnTrainer(recipe).Train(TinyRecipe.Train(), validation);
        byte[] finite = File.ReadAllBytes(checkpoint);

        // Resumed for more epochs at a learning rate far too high: epoch 2 diverges.
        CnnRecipe tooFast = recipe with { Training = recipe.Training with { Epochs = 3, LearningRate = 1e9f, Resume = true } };
        var e = Assert.Throws<TrainingDivergedException>(() => new CnnTrainer(tooFast).Train(TinyRecipe.Train(), validation));

        Assert.Equal(2, e.Epoch);
        Assert.Equal(1, e.LastFiniteEpoch);
        Assert.NotNull(e.LastFinite);
        Assert.Equal(finite, File.ReadAllBytes(checkpoint));
        var saved = CnnClassifier.FromModelFile(Digits.Persistence.ModelFile.Load(checkpoint));
        Assert.True(System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(saved.Parameters.Values));
        Assert.Equal(saved.Parameters.Values, e.LastFinite.Parameters.Values);
        Assert.Equal(saved.Parameters.Buffers, e.LastFinite.Parameters.Buffers);
    }

    [Theory]
    [InlineData(1e9f, "1e9")]
    [InlineData(3e-3f, "0.003")]
    [InlineData(1e-5f, "1e-5")]
    [InlineData(0.1f, "0.1")]
    public void Learning_rates_in_the_divergence_message_read_as_people_write_them(float rate, string text) =>
        Assert.Equal(text, TrainingDivergedException.Format(rate));

    [Fact]
    public void Early_stopping_ends_the_run_once_validation_accuracy_stops_improving()
    {
        CnnTrainingResult result = new CnnTrainer(StallingRecipe()).Train(TinyRecipe.Train(), TinyRecipe.Validation());

        Assert.True(result.StoppedEarly);
        Assert.Equal(3, result.History.Count);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal([true, false, false], result.History.Select(h => h.Improved));
    }

    [Fact]
    public void A_finished_run_whose_best_epoch_is_not_its_last_is_not_replayed_by_resume()
    {
        using var folder = new TempFolder();
        string checkpoint = folder.File("ck.safetensors");
        CnnRecipe recipe = StallingRecipe();
        recipe = recipe with { Training = recipe.Training with { CheckpointPath = checkpoint } };
        CnnTrainingResult first = new CnnTrainer(recipe).Train(TinyRecipe.Train(), TinyRecipe.Validation());
        Assert.Equal(1, first.BestEpoch);
        Assert.Equal(10, TrainingCheckpoint.Load(checkpoint).EpochsDone);
        // its metrics describe the weights it holds, the best epoch's, not the last epoch run
        Assert.Contains("\"epoch\":1,", Digits.Persistence.ModelFile.Load(checkpoint).Metadata.Metrics);

        var epochsRun = new Recorder(_ => { });
        CnnTrainingResult resumed = new CnnTrainer(recipe with { Training = recipe.Training with { Resume = true } })
            .Train(TinyRecipe.Train(), TinyRecipe.Validation(), epochsRun);
        Assert.Empty(epochsRun.Reports);
        Assert.Equal(first.Model.Parameters.Values, resumed.Model.Parameters.Values);
        Assert.Equal(3, resumed.History.Count);
    }

    [Fact]
    public void The_epoch_log_line_has_a_fixed_parseable_form()
    {
        var withValidation = new EpochSummary(new LearningCurvePoint(3, 0.04123, 0.98712, 0.03011, 0.99121), 14.23, 0.000812, true);
        var withoutValidation = new EpochSummary(new LearningCurvePoint(1, 0.5, 0.9), 2.0, 0.01, true);
        Assert.Equal("Epoch 3/12 train_loss=0.0412 train_acc=0.9871 val_loss=0.0301 val_acc=0.9912 lr=0.000812 time=14.2s", withValidation.ToLogLine(12));
        Assert.Equal("Epoch 1/1 train_loss=0.5000 train_acc=0.9000 val_loss=- val_acc=- lr=0.010000 time=2.0s", withoutValidation.ToLogLine(1));
    }

    [Fact]
    public void Options_out_of_range_are_named_in_the_error()
    {
        CnnRecipe recipe = TinyRecipe.Create();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new CnnTrainer(recipe with { Training = recipe.Training with { BatchSize = 0 } }).Train(TinyRecipe.Train(), null));
        Assert.Equal("BatchSize", error.ParamName);
    }

    [Fact]
    public void Momentum_cycling_changes_training_and_needs_adam_on_a_one_cycle_schedule()
    {
        CnnRecipe recipe = TinyRecipe.Create();
        float[] fixedBeta1 = new CnnTrainer(recipe).Train(TinyRecipe.Train(), null).Model.Parameters.Values;
        float[] cycled = new CnnTrainer(recipe with { Training = recipe.Training with { CycleMomentum = true } })
            .Train(TinyRecipe.Train(), null).Model.Parameters.Values;
        Assert.NotEqual(fixedBeta1, cycled);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CnnTrainer(recipe with
        {
            Training = recipe.Training with { CycleMomentum = true, Optimizer = OptimizerKind.SgdNesterov },
        }).Train(TinyRecipe.Train(), null));
        Assert.Equal("CycleMomentum", error.ParamName);
    }

    /// <summary>A linear model whose learning rate is too small to move it: validation accuracy stops improving after epoch 1.</summary>
    private static CnnRecipe StallingRecipe() => new("cnn-fast", [new FlattenSpec(), new LinearSpec(10)], new CnnTrainingOptions
    {
        Epochs = 10,
        BatchSize = 50,
        LearningRate = 1e-12f,
        Optimizer = OptimizerKind.Adam,
        WeightDecay = 0f,
        Schedule = ScheduleKind.Constant,
        EarlyStoppingPatience = 2,
    });
}
