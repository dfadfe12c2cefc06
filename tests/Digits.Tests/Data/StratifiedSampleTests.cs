using Digits.Data;

namespace Digits.Tests.Data;

public class StratifiedSampleTests
{
    /// <summary>The counts that <c>Create(labels, n / 60000, seed).Validation</c> got wrong (999, 5001, 10001, 599), the ends, and neighbours.</summary>
    private static readonly int[] AwkwardCounts = [20, 21, 99, 100, 101, 599, 600, 601, 999, 1000, 1001, 4999, 5000, 5001, 9999, 10000, 10001, 30000, 59_990, 59_999, 60_000];

    public static IEnumerable<object[]> Counts()
    {
        foreach (int n in AwkwardCounts)
            yield return [n];
        var rng = new Rng(11);
        for (int i = 0; i < 60; i++)
            yield return [20 + rng.NextInt(60_000 - 20 + 1)];
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void Sample_of_MNIST_train_has_exactly_N_distinct_sorted_indices_and_each_class_within_1_of_its_share(int n)
    {
        byte[] labels = TestData.Mnist.Train.Labels;
        int[] sample = StratifiedSplit.Sample(labels, n, seed: 1);

        Assert.Equal(n, sample.Length);
        for (int i = 1; i < sample.Length; i++)
            Assert.True(sample[i - 1] < sample[i], $"indices not strictly ascending at {i}");
        Assert.InRange(sample[0], 0, labels.Length - 1);
        Assert.InRange(sample[^1], 0, labels.Length - 1);

        var inClass = new int[10];
        foreach (int i in sample)
            inClass[labels[i]]++;
        for (int c = 0; c < 10; c++)
        {
            double share = (double)n * labels.Count(l => l == c) / labels.Length;
            Assert.True(Math.Abs(inClass[c] - share) < 1, $"N={n}: class {c} has {inClass[c]} images, its share is {share:F3}");
        }
    }

    [Fact]
    public void Sample_is_reproducible_for_a_seed_and_differs_across_seeds()
    {
        byte[] labels = TestData.Mnist.Train.Labels;
        Assert.Equal(StratifiedSplit.Sample(labels, 1000, 7), StratifiedSplit.Sample(labels, 1000, 7));
        Assert.NotEqual(StratifiedSplit.Sample(labels, 1000, 7), StratifiedSplit.Sample(labels, 1000, 8));
    }

    [Fact]
    public void Sample_of_everything_is_every_index()
    {
        byte[] labels = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
        Assert.Equal(Enumerable.Range(0, labels.Length), StratifiedSplit.Sample(labels, labels.Length, 5));
        Assert.Empty(StratifiedSplit.Sample(labels, 0, 5));
    }

    [Fact]
    public void Sample_larger_than_the_data_is_refused_naming_the_count()
    {
        byte[] labels = new byte[100];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Sample(labels, 101, 1));
        Assert.Equal("count", e.ParamName);
        Assert.Equal(101, e.ActualValue);
        Assert.Contains("at most 100", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedSplit.Sample(labels, -1, 1));
    }

    [Fact]
    public void Leftover_images_go_to_the_largest_remainders_and_ties_to_the_lower_class()
    {
        byte[] labels = [.. Enumerable.Repeat((byte)0, 97), .. Enumerable.Repeat((byte)1, 3)];

        // Quotas 9.7 and 0.3: floors 9 and 0, and the one image left goes to class 0's larger remainder.
        int[] ten = StratifiedSplit.Sample(labels, 10, 3);
        Assert.Equal(10, ten.Count(i => labels[i] == 0));

        // Quotas 48.5 and 1.5: floors 48 and 1, equal remainders, so the lower class gets the image left.
        int[] fifty = StratifiedSplit.Sample(labels, 50, 3);
        Assert.Equal(49, fifty.Count(i => labels[i] == 0));
        Assert.Equal(1, fifty.Count(i => labels[i] == 1));
    }
}
