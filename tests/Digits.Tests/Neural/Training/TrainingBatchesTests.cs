using Digits.Imaging;
using Digits.Neural;
using Digits.Neural.Training;

namespace Digits.Tests.Neural.Training;

public class TrainingBatchesTests
{
    [Fact]
    public void Background_preparation_yields_the_same_batches_as_synchronous_preparation()
    {
        var data = TestData.Mnist.Train;
        int[] indices = [.. Enumerable.Range(100, 250)];
        var augmentation = new AugmentationSettings(ElasticAlpha: 20f);
        var standardization = new InputStandardization(0.13f, 0.31f);
        using var background = new TrainingBatches(data, indices, 32, 9, augmentation, standardization, background: true);
        using var inline = new TrainingBatches(data, indices, 32, 9, augmentation, standardization, background: false);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            background.StartEpoch(epoch);
            inline.StartEpoch(epoch);
            int batches = 0;
            while (inline.Next(out TrainingBatch expected))
            {
                Assert.True(background.Next(out TrainingBatch actual));
                Assert.Equal(expected.Count, actual.Count);
                Assert.Equal(expected.Labels.AsSpan(0, expected.Count).ToArray(), actual.Labels.AsSpan(0, actual.Count).ToArray());
                Assert.Equal(expected.Inputs.AsSpan(0, expected.Count * 784).ToArray(), actual.Inputs.AsSpan(0, actual.Count * 784).ToArray());
                batches++;
            }
            Assert.False(background.Next(out _));
            Assert.Equal(8, batches);
        }
    }

    [Fact]
    public void An_epoch_visits_every_image_once_in_an_order_that_changes_between_epochs()
    {
        var data = TestData.Mnist.Train;
        int[] indices = [.. Enumerable.Range(0, 100)];
        using var batches = new TrainingBatches(data, indices, 30, 1, null, null, background: true);
        var orders = new List<int[]>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            batches.StartEpoch(epoch);
            var labels = new List<int>();
            var sizes = new List<int>();
            while (batches.Next(out TrainingBatch batch))
            {
                labels.AddRange(batch.Labels.AsSpan(0, batch.Count).ToArray());
                sizes.Add(batch.Count);
            }
            Assert.Equal([30, 30, 30, 10], sizes);
            Assert.Equal(data.Labels.AsSpan(0, 100).ToArray().Select(l => (int)l).Order(), labels.Order());
            orders.Add([.. labels]);
        }
        Assert.NotEqual(orders[0], orders[1]);
    }

    [Fact]
    public void Disposing_mid_epoch_stops_the_producer()
    {
        using var batches = new TrainingBatches(TestData.Mnist.Train, [.. Enumerable.Range(0, 200)], 10, 1, new AugmentationSettings(), null, background: true);
        batches.StartEpoch(0);
        Assert.True(batches.Next(out _));
        batches.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batches.Next(out _));
    }
}
