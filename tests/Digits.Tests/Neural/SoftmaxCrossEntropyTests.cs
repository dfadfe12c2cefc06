using Digits.Neural;

namespace Digits.Tests.Neural;

public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void Loss_of_uniform_logits_is_log_of_class_count()
    {
        float loss = SoftmaxCrossEntropy.Compute(new float[6], [0, 2], 2, 3, 0f, default);
        Assert.Equal(MathF.Log(3), loss, 1e-6f);
    }

    [Fact]
    public void Loss_matches_a_hand_computed_value_with_label_smoothing()
    {
        float[] logits = [1f, 2f, 0.5f];
        double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(0.5));
        // target: 0.9 + 0.1/3 on class 1, 0.1/3 on the others
        double expected = -((0.1 / 3) * (1 - lse) + (0.9 + 0.1 / 3) * (2 - lse) + (0.1 / 3) * (0.5 - lse));
        Assert.Equal(expected, SoftmaxCrossEntropy.Compute(logits, [1], 1, 3, 0.1f, default), 1e-6);
    }

    [Fact]
    public void Loss_is_finite_for_huge_logits()
    {
        float loss = SoftmaxCrossEntropy.Compute([1000f, -1000f, 0f], [1], 1, 3, 0f, default);
        Assert.Equal(2000f, loss, 1e-2f);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void Gradient_matches_central_differences(float smoothing)
    {
        const int count = 4, classes = 5;
        var rng = new Rng(3);
        float[] logits = new float[count * classes];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = 3f * (2f * rng.NextFloat() - 1f);
        }
        int[] labels = [0, 4, 2, 2];
        float[] dlogits = new float[logits.Length];
        SoftmaxCrossEntropy.Compute(logits, labels, count, classes, smoothing, dlogits);
        const float h = 1e-2f;
        for (int i = 0; i < logits.Length; i++)
        {
            float original = logits[i];
            logits[i] = original + h;
            double plus = SoftmaxCrossEntropy.Compute(logits, labels, count, classes, smoothing, default);
            logits[i] = original - h;
            double minus = SoftmaxCrossEntropy.Compute(logits, labels, count, classes, smoothing, default);
            logits[i] = original;
            Assert.Equal((plus - minus) / (2 * h), dlogits[i], 1e-3);
        }
    }

    [Fact]
    public void Gradient_rows_sum_to_zero()
    {
        float[] dlogits = new float[6];
        SoftmaxCrossEntropy.Compute([0.3f, -1f, 2f, 5f, 1f, 1f], [2, 0], 2, 3, 0.2f, dlogits);
        Assert.Equal(0f, dlogits[0] + dlogits[1] + dlogits[2], 1e-6f);
        Assert.Equal(0f, dlogits[3] + dlogits[4] + dlogits[5], 1e-6f);
    }

    [Fact]
    public void A_label_outside_the_classes_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy.Compute(new float[3], [3], 1, 3, 0f, default));
}
