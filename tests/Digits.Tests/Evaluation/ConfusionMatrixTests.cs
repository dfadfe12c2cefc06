using Digits.Evaluation;

namespace Digits.Tests.Evaluation;

public class ConfusionMatrixTests
{
    // truth:     0 0 0 1 1 2 2
    // predicted: 0 0 1 1 1 0 1   (class 2 is never predicted)
    private static ConfusionMatrix Example()
    {
        var matrix = new ConfusionMatrix(["0", "1", "2"]);
        byte[] truth = [0, 0, 0, 1, 1, 2, 2];
        byte[] predicted = [0, 0, 1, 1, 1, 0, 1];
        for (int i = 0; i < truth.Length; i++)
            matrix.Add(truth[i], predicted[i]);
        return matrix;
    }

    [Fact]
    public void Counts_rows_by_true_class_and_columns_by_prediction()
    {
        Assert.Equal([[2, 1, 0], [0, 2, 0], [1, 1, 0]], Example().ToRows());
        Assert.Equal(7, Example().Total);
    }

    [Fact]
    public void Accuracy_is_the_diagonal_fraction() => Assert.Equal(4.0 / 7, Example().Accuracy, 12);

    [Fact]
    public void Per_class_figures_match_hand_computed_values()
    {
        var perClass = Example().PerClass();

        Assert.Equal(new ClassMetrics("0", Math.Round(2.0 / 3, 12), Math.Round(2.0 / 3, 12), Math.Round(2.0 / 3, 12), 3), Rounded(perClass[0]));
        Assert.Equal(new ClassMetrics("1", 0.5, 1.0, Math.Round(2.0 / 3, 12), 2), Rounded(perClass[1]));
    }

    [Fact]
    public void A_class_never_predicted_has_precision_recall_and_f1_of_zero()
    {
        var matrix = Example();

        Assert.Equal(0, matrix.PredictedCount(2));
        Assert.Equal(new ClassMetrics("2", 0, 0, 0, 2), matrix.PerClass()[2]);
    }

    [Fact]
    public void Most_confused_lists_off_diagonal_cells_largest_first_then_by_class()
    {
        var matrix = Example();
        matrix.Add(2, 0);

        Assert.Equal(
            [new ConfusedPair(2, 0, 2), new ConfusedPair(0, 1, 1), new ConfusedPair(2, 1, 1)],
            matrix.MostConfused());
        Assert.Single(matrix.MostConfused(top: 1));
    }

    [Fact]
    public void An_empty_matrix_has_accuracy_zero() => Assert.Equal(0, new ConfusionMatrix(["a", "b"]).Accuracy);

    [Fact]
    public void Adding_a_class_outside_the_labels_throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(["a", "b"]).Add(0, 2));

    private static ClassMetrics Rounded(ClassMetrics m) =>
        m with { Precision = Math.Round(m.Precision, 12), Recall = Math.Round(m.Recall, 12), F1 = Math.Round(m.F1, 12) };
}
