using Digits.Neural;
using Digits.Neural.Training;

namespace Digits.Tests.Neural.Training;

/// <summary>A CNN small enough to train on a few hundred MNIST images in a fraction of a second.</summary>
internal static class TinyRecipe
{
    public static CnnRecipe Create(CnnTrainingOptions? training = null) => new("cnn-fast",
        [
            new Conv2dSpec(6, 5, Stride: 2), new BatchNormSpec(), new ReluSpec(),
            new MaxPool2dSpec(2),
            new DropoutSpec(0.2f),
            new FlattenSpec(),
            new LinearSpec(10),
        ],
        training ?? new CnnTrainingOptions
        {
            Epochs = 2,
            BatchSize = 32,
            LearningRate = 3e-3f,
            Optimizer = OptimizerKind.AdamW,
            Schedule = ScheduleKind.OneCycle,
            StandardizeInputs = true,
            Threads = 2,
        });

    public static Digits.Data.LabeledImages Train(int count = 300) => TestData.Mnist.Train.Take(count);

    public static Digits.Data.LabeledImages Validation(int count = 200) =>
        TestData.Mnist.Train.Subset([.. Enumerable.Range(50_000, count)]);
}
