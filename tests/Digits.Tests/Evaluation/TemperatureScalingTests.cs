using Digits.Evaluation;
using Digits.Persistence;

namespace Digits.Tests.Evaluation;

public class TemperatureScalingTests
{
    private const int Classes = 10;

    /// <summary>
    /// Logits of a calibrated model (labels drawn from softmax(z) itself), multiplied by <paramref name="temperature"/>:
    /// a model over-confident by exactly that factor, whose best temperature is therefore <paramref name="temperature"/>.
    /// </summary>
    private static (double[] Scores, byte[] Labels) Synthetic(double temperature, int count, int seed)
    {
        var random = new Random(seed);
        var scores = new double[count * Classes];
        var labels = new byte[count];
        var p = new double[Classes];
        for (int i = 0; i < count; i++)
        {
            var z = scores.AsSpan(i * Classes, Classes);
            for (int c = 0; c < Classes; c++)
                z[c] = 3 * random.NextDouble() + (c == i % Classes ? 2 : 0);
            double max = z.ToArray().Max(), sum = 0;
            for (int c = 0; c < Classes; c++)
                sum += p[c] = Math.Exp(z[c] - max);
            double u = random.NextDouble() * sum;
            int label = 0;
            while (label < Classes - 1 && (u -= p[label]) > 0)
                label++;
            labels[i] = (byte)label;
            for (int c = 0; c < Classes; c++)
                z[c] *= temperature;
        }
        return (scores, labels);
    }

    private static float[] Softmax(double[] scores)
    {
        var probabilities = new float[scores.Length];
        for (int r = 0; r < scores.Length / Classes; r++)
        {
            var row = scores.AsSpan(r * Classes, Classes);
            double max = row.ToArray().Max(), sum = row.ToArray().Sum(s => Math.Exp(s - max));
            for (int c = 0; c < Classes; c++)
                probabilities[r * Classes + c] = (float)(Math.Exp(row[c] - max) / sum);
        }
        return probabilities;
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(0.6)]
    public void Fit_recovers_the_temperature_of_a_synthetic_miscalibrated_model(double truth)
    {
        var (scores, labels) = Synthetic(truth, 20000, 1);

        double fitted = TemperatureScaling.Fit(scores, labels, Classes);

        Assert.InRange(fitted / truth, 0.95, 1.05);
    }

    [Fact]
    public void Fit_gives_about_one_for_a_calibrated_model()
    {
        var (scores, labels) = Synthetic(1, 20000, 2);

        Assert.InRange(TemperatureScaling.Fit(scores, labels, Classes), 0.95, 1.05);
    }

    [Fact]
    public void Fit_on_probabilities_equals_fit_on_logits()
    {
        var (scores, labels) = Synthetic(2, 5000, 3);

        double fromLogits = TemperatureScaling.Fit(scores, labels, Classes);
        double fromProbabilities = TemperatureScaling.FitProbabilities(Softmax(scores), labels, Classes);

        Assert.Equal(fromLogits, fromProbabilities, 1e-3);
    }

    [Fact]
    public void Nll_after_the_fit_is_no_higher_than_before_and_ece_drops()
    {
        var (scores, labels) = Synthetic(3, 5000, 4);
        float[] probabilities = Softmax(scores);

        double t = TemperatureScaling.Fit(scores, labels, Classes);
        var calibrated = new float[probabilities.Length];
        TemperatureScaling.Apply(probabilities, calibrated, labels.Length, Classes, t);

        Assert.True(TemperatureScaling.NegativeLogLikelihood(scores, labels, Classes, t)
            <= TemperatureScaling.NegativeLogLikelihood(scores, labels, Classes, 1));
        Assert.True(Metrics.LogLoss(labels, calibrated, Classes) < Metrics.LogLoss(labels, probabilities, Classes));
        Assert.True(CalibrationError.Expected(labels, calibrated, Classes) < CalibrationError.Expected(labels, probabilities, Classes) / 3);
        Assert.Equal(Metrics.Accuracy(labels, probabilities, Classes), Metrics.Accuracy(labels, calibrated, Classes));
    }

    [Fact]
    public void Fit_stays_within_its_bounds_and_keeps_one_when_no_temperature_is_better()
    {
        // One sample right at logit gap 5: T → 0 would be best, so the fit stops at the lower bound. Wrong at the same
        // gap, T → ∞ would be best. Equal logits give the same NLL at every T, so T = 1 is kept.
        double[] scores = [5, 0];
        Assert.Equal(Calibration.MinTemperature, TemperatureScaling.Fit(scores, [0], 2), 1e-3);
        Assert.Equal(Calibration.MaxTemperature, TemperatureScaling.Fit(scores, [1], 2), 1e-2);
        Assert.Equal(1, TemperatureScaling.Fit([0.0, 0.0], [0], 2));
    }

    [Fact]
    public void Apply_to_softmax_probabilities_equals_softmax_of_logits_over_t()
    {
        var (scores, _) = Synthetic(1, 50, 5);
        const double t = 1.7;

        var applied = new float[scores.Length];
        TemperatureScaling.Apply(Softmax(scores), applied, 50, Classes, t);

        float[] expected = Softmax([.. scores.Select(s => s / t)]);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], applied[i], 1e-6);
    }

    [Fact]
    public void Apply_keeps_zero_probabilities_at_zero_and_rows_summing_to_one()
    {
        float[] probabilities = [0f, 0.25f, 0.75f, 1f, 0f, 0f];

        TemperatureScaling.Apply(probabilities, probabilities, 2, 3, 2);

        Assert.Equal(0f, probabilities[0]);
        Assert.Equal(1 / (1 + Math.Sqrt(3)), probabilities[1], 1e-6); // √0.25 / (√0.25 + √0.75)
        Assert.Equal(1f, probabilities[3]);
        Assert.Equal(1, probabilities[..3].Sum(), 1e-6);
    }

    [Fact]
    public void Apply_at_one_copies_the_probabilities_bit_for_bit()
    {
        float[] probabilities = [0.1f, 0.2f, 0.7f];
        var output = new float[3];

        TemperatureScaling.Apply(probabilities, output, 1, 3, 1);

        Assert.Equal(probabilities, output);
    }
}
