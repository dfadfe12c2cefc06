using Digits.Evaluation;

namespace Digits.Tests.Evaluation;

public class CalibrationErrorTests
{
    [Fact]
    public void Bins_are_fifteen_equal_widths_with_the_upper_edge_included()
    {
        float[] confidence = [0.1f, 1f / 15, 0.5f, 0.95f, 1f];
        bool[] correct = [false, true, true, true, false];

        var bins = CalibrationError.Bins(confidence, correct);

        Assert.Equal(15, bins.Count);
        Assert.Equal(1.0 / 15, bins[0].High, 12);
        Assert.Equal(1, bins[0].Count); // 1/15 is the first bin's upper edge
        Assert.Equal(1, bins[1].Count); // 0.1 lies in (1/15, 2/15]
        Assert.Equal(1, bins[7].Count); // 0.5 lies in (7/15, 8/15]
        Assert.Equal(2, bins[14].Count); // 0.95 and 1
        Assert.Equal(0.5, bins[14].Accuracy);
        Assert.Equal((0.95 + 1) / 2, bins[14].MeanConfidence, 6);
    }

    [Fact]
    public void Ece_is_the_count_weighted_mean_gap_between_accuracy_and_confidence()
    {
        // Four samples at 0.9 with three right (gap 0.15), two at 0.6 with both right (gap 0.4): (4·0.15 + 2·0.4) / 6.
        float[] confidence = [0.9f, 0.9f, 0.9f, 0.9f, 0.6f, 0.6f];
        bool[] correct = [true, true, true, false, true, true];

        double ece = CalibrationError.Expected(CalibrationError.Bins(confidence, correct));

        Assert.Equal((4 * 0.15 + 2 * 0.4) / 6, ece, 6);
    }

    [Fact]
    public void Ece_of_probabilities_uses_the_top_class_of_each_row()
    {
        byte[] labels = [0, 1];
        float[] probabilities = [0.7f, 0.3f, 0.8f, 0.2f]; // right at 0.7, wrong at 0.8

        Assert.Equal((0.3 + 0.8) / 2, CalibrationError.Expected(labels, probabilities, 2), 6);
    }

    [Fact]
    public void A_model_whose_confidence_matches_its_accuracy_has_an_ece_near_zero()
    {
        var random = new Random(3);
        var confidence = new float[20000];
        var correct = new bool[confidence.Length];
        for (int i = 0; i < confidence.Length; i++)
        {
            confidence[i] = (float)(0.1 + 0.9 * random.NextDouble());
            correct[i] = random.NextDouble() < confidence[i];
        }

        Assert.True(CalibrationError.Expected(CalibrationError.Bins(confidence, correct)) < 0.015);
    }

    [Fact]
    public void No_samples_give_an_ece_of_zero() =>
        Assert.Equal(0, CalibrationError.Expected(CalibrationError.Bins([], [])));

    [Fact]
    public void A_confidence_outside_zero_to_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationError.Bins([1.5f], [true]));
}
