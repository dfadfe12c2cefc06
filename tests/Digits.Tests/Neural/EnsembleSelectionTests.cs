using Digits.Neural;

namespace Digits.Tests.Neural;

public class EnsembleSelectionTests
{
    private const int Classes = 3;

    /// <summary>Probabilities that give <paramref name="correct"/> to each image's true class and share the rest.</summary>
    private static float[] Member(byte[] labels, params float[] correct)
    {
        var p = new float[labels.Length * Classes];
        for (int i = 0; i < labels.Length; i++)
        {
            for (int c = 0; c < Classes; c++)
            {
                p[i * Classes + c] = c == labels[i] ? correct[i] : (1f - correct[i]) / (Classes - 1);
            }
        }
        return p;
    }

    [Fact]
    public void A_member_that_only_adds_noise_is_left_out()
    {
        byte[] labels = [0, 1, 2, 1];
        float[] good = Member(labels, 0.9f, 0.8f, 0.9f, 0.7f);
        float[] alsoGood = Member(labels, 0.8f, 0.9f, 0.7f, 0.9f);
        float[] poor = Member(labels, 0.1f, 0.2f, 0.1f, 0.3f);
        Assert.Equal([0, 2], EnsembleSelection.Select([good, poor, alsoGood], labels, Classes));
    }

    [Fact]
    public void Members_that_are_wrong_on_different_images_are_all_kept()
    {
        byte[] labels = [0, 1, 2];
        float[] a = Member(labels, 0.05f, 0.9f, 0.9f);
        float[] b = Member(labels, 0.9f, 0.05f, 0.9f);
        float[] c = Member(labels, 0.9f, 0.9f, 0.05f);
        Assert.Equal([0, 1, 2], EnsembleSelection.Select([a, b, c], labels, Classes));
    }

    [Fact]
    public void It_starts_from_the_best_single_member()
    {
        byte[] labels = [0, 1];
        float[] worse = Member(labels, 0.6f, 0.6f);
        float[] best = Member(labels, 0.99f, 0.99f);
        Assert.Equal([1], EnsembleSelection.Select([worse, best], labels, Classes));
        Assert.Equal([0], EnsembleSelection.Select([worse], labels, Classes));
    }

    [Fact]
    public void A_confident_miss_stays_finite_and_mismatched_sizes_are_refused()
    {
        byte[] labels = [0, 1];
        float[] certainWrong = Member(labels, 0f, 0f);
        float[] fine = Member(labels, 0.7f, 0.7f);
        Assert.Equal([1], EnsembleSelection.Select([certainWrong, fine], labels, Classes));
        Assert.Throws<ArgumentException>(() => EnsembleSelection.Select([fine, new float[5]], labels, Classes));
        Assert.Throws<ArgumentException>(() => EnsembleSelection.Select([], labels, Classes));
    }

    [Fact]
    public void Accuracy_comes_before_log_loss()
    {
        // confident: right with 0.97 on three images, wrong on the fourth (0.3 for the label, 0.5 for class 2);
        // hesitant: right on all four with 0.45. Log loss prefers the confident one, accuracy the hesitant one,
        // and the average of both gets the fourth image wrong.
        byte[] labels = [0, 1, 0, 1];
        float[] confident = [0.97f, 0.015f, 0.015f, 0.015f, 0.97f, 0.015f, 0.97f, 0.015f, 0.015f, 0.2f, 0.3f, 0.5f];
        float[] hesitant = Member(labels, 0.45f, 0.45f, 0.45f, 0.45f);
        Assert.Equal([1], EnsembleSelection.Select([confident, hesitant], labels, Classes));
    }
}
