using System.Text.Json;
using Digits.Evaluation;

namespace Digits.Tests.Evaluation;

public class MetricsTests
{
    [Fact]
    public void Wilson_interval_for_95_of_100_matches_the_textbook_value()
    {
        // Centre (p + z²/2n)/(1 + z²/n) = 0.933353, half-width 0.045103 with z = 1.959964.
        var (low, high) = Metrics.WilsonInterval(95, 100);

        Assert.Equal(0.888250, low, 5e-6);
        Assert.Equal(0.978456, high, 5e-6);
    }

    [Fact]
    public void Wilson_interval_stays_inside_zero_and_one_at_the_extremes()
    {
        var (low, high) = Metrics.WilsonInterval(50, 50);

        Assert.True(high <= 1);
        Assert.Equal(0.928652, low, 5e-6); // n / (n + z²) = 50 / 53.8415
        Assert.Equal((0.0, 1.0), Metrics.WilsonInterval(0, 0));
        Assert.Equal(0, Metrics.WilsonInterval(0, 10).Low);
    }

    [Fact]
    public void Wilson_interval_rejects_more_successes_than_trials() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.WilsonInterval(11, 10));

    [Fact]
    public void Log_loss_is_the_mean_negative_log_of_the_true_class_probability()
    {
        byte[] labels = [0, 1];
        float[] probabilities = [0.8f, 0.2f, 0.75f, 0.25f];

        double expected = (-Math.Log(0.8f) - Math.Log(0.25f)) / 2; // 0.80472
        Assert.Equal(expected, Metrics.LogLoss(labels, probabilities, 2), 12);
        Assert.Equal(0.80472, Metrics.LogLoss(labels, probabilities, 2), 4);
    }

    [Fact]
    public void Log_loss_clips_a_zero_probability_at_1e_minus_15()
    {
        Assert.Equal(-Math.Log(1e-15), Metrics.LogLoss([1], [1f, 0f], 2), 9);
        Assert.Equal(34.5388, Metrics.LogLoss([1], [1f, 0f], 2), 4);
    }

    [Fact]
    public void Evaluate_derives_accuracy_interval_and_predictions_from_probabilities()
    {
        byte[] labels = [0, 1, 2, 2];
        float[] probabilities =
        [
            0.7f, 0.2f, 0.1f,
            0.1f, 0.6f, 0.3f,
            0.5f, 0.1f, 0.4f, // a mistake, predicted 0 with confidence 0.5
            0.0f, 0.1f, 0.9f,
        ];

        var result = Metrics.Evaluate(labels, probabilities, ["0", "1", "2"], seconds: 1.5);

        Assert.Equal(4, result.Count);
        Assert.Equal(0.75, result.Accuracy);
        Assert.Equal(Metrics.WilsonInterval(3, 4).Low, result.AccuracyCi95[0]);
        Assert.Equal(Metrics.WilsonInterval(3, 4).High, result.AccuracyCi95[1]);
        Assert.Equal(Metrics.LogLoss(labels, probabilities, 3), result.LogLoss, 12);
        Assert.Equal([0, 1, 0, 2], result.Predicted);
        Assert.Equal([0.7f, 0.6f, 0.5f, 0.9f], result.Confidence);
        Assert.Equal([2], result.Misclassified());
        Assert.Equal(1.5, result.Seconds);
    }

    [Fact]
    public void Misclassified_lists_the_most_confident_mistakes_first()
    {
        var result = Metrics.Evaluate([0, 0, 0, 1], [0.4f, 0.6f, 0.1f, 0.9f, 0.9f, 0.1f, 0.1f, 0.9f], ["0", "1"]);

        Assert.Equal([1, 0], result.Misclassified());
    }

    [Fact]
    public void A_label_the_model_has_no_class_for_is_a_digits_error()
    {
        var error = Assert.Throws<DigitsException>(() => Metrics.Evaluate([0, 5], [1f, 0f, 1f, 0f], ["0", "1"]));

        Assert.Equal("labels", error.Subject);
        Assert.Contains("sample 1 has label 5", error.Problem);
    }

    [Fact]
    public void Result_serializes_to_the_contract_evaluate_fields_with_snake_case()
    {
        var result = Metrics.Evaluate([0, 1], [0.9f, 0.1f, 0.2f, 0.8f], ["0", "1"], seconds: 0.25);
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result, options));
        var root = json.RootElement;

        Assert.Equal(
            ["count", "accuracy", "accuracy_ci95", "top2_accuracy", "log_loss", "per_class", "confusion", "seconds", "ece"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(2, root.GetProperty("accuracy_ci95").GetArrayLength());
        Assert.Equal(
            ["label", "precision", "recall", "f1", "support"],
            root.GetProperty("per_class")[0].EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("[[1,0],[0,1]]", root.GetProperty("confusion").GetRawText());
    }

    [Fact]
    public void Accuracy_counts_rows_whose_most_probable_class_is_the_label()
    {
        byte[] labels = [0, 1, 2, 1];
        float[] probabilities = [0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f, 0.5f, 0.1f, 0.4f, 0.4f, 0.4f, 0.2f];
        Assert.Equal(0.5, Metrics.Accuracy(labels, probabilities, 3));
        Assert.Equal(0, Metrics.Accuracy([], [], 3));
    }

    [Fact]
    public void Top2_accuracy_counts_rows_whose_label_is_one_of_the_two_most_probable_classes()
    {
        byte[] labels = [0, 1, 2, 3, 3];
        float[] probabilities =
        [
            0.70f, 0.10f, 0.10f, 0.10f, // right: top-1 and top-2
            0.60f, 0.30f, 0.05f, 0.05f, // wrong, but the label is second: top-2 only
            0.50f, 0.30f, 0.15f, 0.05f, // the label is third: neither
            0.40f, 0.05f, 0.05f, 0.50f, // right
            0.25f, 0.25f, 0.25f, 0.25f, // a four-way tie: classes 0 and 1 come first, as argmax picks 0
        ];

        var result = Metrics.Evaluate(labels, probabilities, ["0", "1", "2", "3"]);

        Assert.Equal(2.0 / 5, result.Accuracy, 12);
        Assert.Equal(3.0 / 5, result.Top2Accuracy, 12);
    }

    [Fact]
    public void Top2_accuracy_is_1_for_two_classes_and_equals_accuracy_for_one()
    {
        Assert.Equal(1, Metrics.Evaluate([0, 1], [0.1f, 0.9f, 0.8f, 0.2f], ["a", "b"]).Top2Accuracy);
        Assert.Equal(1, Metrics.Evaluate([0], [1f], ["only"]).Top2Accuracy);
        Assert.Equal(0, Metrics.Evaluate([], [], ["0", "1"]).Top2Accuracy);
    }

    [Fact]
    public void Top2_accuracy_is_the_same_whatever_the_batches()
    {
        byte[] labels = [1, 1, 1, 2, 0, 2]; // the third row ties classes 0 and 1 at 0.3 behind 2: 0 is second, so a miss
        float[] probabilities = [.5f, .3f, .2f, .1f, .2f, .7f, .3f, .3f, .4f, .6f, .1f, .3f, .2f, .5f, .3f, .1f, .3f, .6f];
        var whole = Metrics.Evaluate(labels, probabilities, ["0", "1", "2"]);

        var accumulator = new EvaluationAccumulator(["0", "1", "2"], labels.Length);
        accumulator.Add(labels.AsSpan(0, 1), probabilities.AsSpan(0, 3));
        accumulator.Add(labels.AsSpan(1, 4), probabilities.AsSpan(3, 12));
        accumulator.Add(labels.AsSpan(5), probabilities.AsSpan(15));

        Assert.Equal(whole.Top2Accuracy, accumulator.ToResult(0).Top2Accuracy);
        Assert.Equal(4.0 / 6, whole.Top2Accuracy, 12);
    }
}
