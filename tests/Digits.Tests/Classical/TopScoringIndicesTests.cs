using Digits.Classical;

namespace Digits.Tests.Classical;

public class TopScoringIndicesTests
{
    [Fact]
    public void Keeps_the_highest_scores_with_ties_going_to_the_lower_index()
    {
        var top = new TopScoringIndices(3);
        double[] scores = [0.5, 2, -1, 2, 7, 0.5, 2];
        for (int i = 0; i < scores.Length; i++)
            top.Offer(i, scores[i]);

        Assert.Equal([1, 3, 4], top.Indices.ToArray().Order());
    }

    [Fact]
    public void Random_offers_keep_the_same_set_as_sorting()
    {
        var rng = new Rng(9);
        var top = new TopScoringIndices(10);
        var scores = Enumerable.Range(0, 500).Select(_ => (double)rng.NextInt(50)).ToArray();
        for (int i = 0; i < scores.Length; i++)
            top.Offer(i, scores[i]);

        var expected = Enumerable.Range(0, 500).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(10).Order();
        Assert.Equal(expected, top.Indices.ToArray().Order());
    }

    [Fact]
    public void Clear_empties_and_zero_capacity_keeps_nothing()
    {
        var top = new TopScoringIndices(2);
        top.Offer(4, 1);
        top.Clear();
        var none = new TopScoringIndices(0);
        none.Offer(1, 5);

        Assert.Equal(0, top.Count);
        Assert.Equal(0, none.Count);
    }
}
