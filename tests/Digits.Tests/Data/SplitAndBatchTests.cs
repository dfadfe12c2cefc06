using Digits.Data;

namespace Digits.Tests.Data;

public class SplitAndBatchTests
{
    private static byte[] Labels(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
            labels[i] = (byte)(rng.NextInt(10) < 3 ? 0 : rng.NextInt(10));
        return labels;
    }

    [Fact]
    public void Split_is_disjoint_complete_and_keeps_class_shares()
    {
        var labels = Labels(5000, 1);
        var (train, val) = StratifiedSplit.Create(labels, 0.1, seed: 42);
        Assert.Equal(labels.Length, train.Length + val.Length);
        Assert.Empty(train.Intersect(val));
        for (int c = 0; c < 10; c++)
        {
            int total = labels.Count(l => l == c);
            int inVal = val.Count(i => labels[i] == c);
            Assert.Equal((int)Math.Round(total * 0.1), inVal);
        }
    }

    [Fact]
    public void Split_is_reproducible_for_a_seed_and_differs_across_seeds()
    {
        var labels = Labels(2000, 2);
        var a = StratifiedSplit.Create(labels, 0.2, 7);
        var b = StratifiedSplit.Create(labels, 0.2, 7);
        var c = StratifiedSplit.Create(labels, 0.2, 8);
        Assert.Equal(a.Validation, b.Validation);
        Assert.NotEqual(a.Validation, c.Validation);
    }

    [Fact]
    public void Folds_balance_every_class()
    {
        var labels = Labels(3000, 3);
        int[] fold = StratifiedSplit.Folds(labels, 3, seed: 5);
        for (int c = 0; c < 10; c++)
        {
            var counts = new int[3];
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] == c)
                    counts[fold[i]]++;
            }
            Assert.True(counts.Max() - counts.Min() <= 1, $"class {c}: {string.Join(",", counts)}");
        }
    }

    private static LabeledImages TinySet(int n)
    {
        var pixels = new byte[n * 4];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            pixels[i * 4] = (byte)i;
            pixels[i * 4 + 3] = 255;
            labels[i] = (byte)(i % 10);
        }
        return new LabeledImages(pixels, labels, 2, 2);
    }

    [Fact]
    public void Rng_streams_are_reproducible()
    {
        var a = new Rng(123);
        var b = new Rng(123);
        for (int i = 0; i < 100; i++)
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var counts = new int[7];
        var r = new Rng(5);
        for (int i = 0; i < 70000; i++)
            counts[r.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9500, 10500));
    }
}

public class LabeledImagesTests
{
    [Fact]
    public void Content_hash_changes_with_pixels_and_labels()
    {
        var a = new LabeledImages([1, 2, 3, 4], [0, 1], 1, 2);
        var b = new LabeledImages([1, 2, 3, 4], [0, 2], 1, 2);
        var c = new LabeledImages([1, 2, 3, 5], [0, 1], 1, 2);
        Assert.Equal(64, a.ContentSha256().Length);
        Assert.NotEqual(a.ContentSha256(), b.ContentSha256());
        Assert.NotEqual(a.ContentSha256(), c.ContentSha256());
        Assert.Equal(a.ContentSha256(), new LabeledImages([1, 2, 3, 4], [0, 1], 1, 2).ContentSha256());
    }
}
