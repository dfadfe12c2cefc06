using Digits.Neural;
using Digits.Neural.Optimizers;

namespace Digits.Tests.Neural;

public class OptimizerTests
{
    /// <summary>A store holding a Linear(2 → 1): weight [w0, w1] (decayed) and bias [b] (not decayed).</summary>
    private static ParameterStore Store(float w0, float w1, float b, float g0, float g1, float gb)
    {
        var network = new Network(SampleShape.Flat(2), [new LinearSpec(1)], 1, 1);
        ParameterStore store = network.Parameters;
        store.Values[0] = w0;
        store.Values[1] = w1;
        store.Values[2] = b;
        store.Gradients[0] = g0;
        store.Gradients[1] = g1;
        store.Gradients[2] = gb;
        return store;
    }

    [Fact]
    public void Adam_first_step_moves_each_parameter_by_lr_against_the_gradient_sign()
    {
        ParameterStore store = Store(1f, -2f, 0.5f, 0.3f, -4f, 0f);
        new Adam(store).Step(0.1f);
        // m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε)
        Assert.Equal(1f - 0.1f * 0.3f / (0.3f + 1e-8f), store.Values[0], 1e-6f);
        Assert.Equal(-2f + 0.1f, store.Values[1], 1e-6f);
        Assert.Equal(0.5f, store.Values[2]);
        Assert.All(store.Gradients, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Adam_second_step_matches_the_bias_corrected_formula()
    {
        ParameterStore store = Store(1f, 0f, 0f, 0.5f, 0f, 0f);
        var adam = new Adam(store, weightDecay: 0.1f);
        adam.Step(0.01f);
        double p = 1, g1 = 0.5 + 0.1 * p;
        double m = 0.1 * g1, v = 0.001 * g1 * g1;
        p -= 0.01 * (m / 0.1) / (Math.Sqrt(v / 0.001) + 1e-8);
        Assert.Equal(p, store.Values[0], 1e-6);
        store.Gradients[0] = -0.25f;
        adam.Step(0.01f);
        double g2 = -0.25 + 0.1 * p;
        m = 0.9 * m + 0.1 * g2;
        v = 0.999 * v + 0.001 * g2 * g2;
        p -= 0.01 * (m / (1 - 0.81)) / (Math.Sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
        Assert.Equal(p, store.Values[0], 1e-6);
    }

    [Fact]
    public void Adam_with_a_changed_beta1_corrects_bias_with_the_current_beta1_like_pytorch()
    {
        ParameterStore store = Store(1f, 0f, 0f, 0.5f, 0f, 0f);
        var adam = new Adam(store);
        adam.Step(0.01f);
        double p = 1 - 0.01 * 0.5 / (0.5 + 1e-8);
        double m = 0.1 * 0.5, v = 0.001 * 0.5 * 0.5;
        Assert.Equal(p, store.Values[0], 1e-6);
        adam.Beta1 = 0.8f;
        store.Gradients[0] = -0.25f;
        adam.Step(0.01f);
        // PyTorch 1.13: m = β1·m + (1 − β1)·g with the new β1, and bias_correction1 = 1 − β1^step, also with the new β1
        m = 0.8 * m + 0.2 * -0.25;
        v = 0.999 * v + 0.001 * 0.0625;
        p -= 0.01 * (m / (1 - 0.8 * 0.8)) / (Math.Sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
        Assert.Equal(0.99070283, p, 1e-7);
        Assert.Equal(p, store.Values[0], 1e-6);
    }

    [Fact]
    public void Adam_rejects_a_beta1_outside_zero_to_one()
    {
        var adam = new Adam(Store(0f, 0f, 0f, 0f, 0f, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.Beta1 = 1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(adam.Store, beta1: -0.1f));
    }

    [Fact]
    public void AdamW_decays_weights_decoupled_from_the_gradient_and_skips_biases()
    {
        ParameterStore store = Store(2f, 0f, 3f, 0f, 0f, 0f);
        new AdamW(store, weightDecay: 0.5f).Step(0.1f);
        Assert.Equal(2f * (1f - 0.1f * 0.5f), store.Values[0], 1e-6f);
        Assert.Equal(3f, store.Values[2]);
    }

    [Fact]
    public void AdamW_decays_biases_too_when_asked()
    {
        ParameterStore store = Store(2f, 0f, 3f, 0f, 0f, 0f);
        new AdamW(store, weightDecay: 0.5f, decayAll: true).Step(0.1f);
        Assert.Equal(3f * 0.95f, store.Values[2], 1e-6f);
    }

    [Fact]
    public void Sgd_nesterov_two_steps_match_hand_computation()
    {
        ParameterStore store = Store(1f, 0f, 0f, 0.5f, 0f, 0f);
        var sgd = new Sgd(store, momentum: 0.9f, nesterov: true, weightDecay: 0.1f);
        sgd.Step(0.1f);
        // g' = 0.5 + 0.1·1 = 0.6; buf = 0.6; d = 0.6 + 0.9·0.6 = 1.14; p = 1 − 0.114
        Assert.Equal(0.886f, store.Values[0], 1e-6f);
        store.Gradients[0] = 0.2f;
        sgd.Step(0.1f);
        // g' = 0.2 + 0.0886 = 0.2886; buf = 0.54 + 0.2886 = 0.8286; d = 0.2886 + 0.74574 = 1.03434
        Assert.Equal(0.886f - 0.103434f, store.Values[0], 1e-6f);
    }

    [Fact]
    public void Sgd_without_momentum_is_plain_gradient_descent()
    {
        ParameterStore store = Store(1f, 2f, 3f, 1f, -1f, 0.5f);
        new Sgd(store).Step(0.5f);
        Assert.Equal([0.5f, 2.5f, 2.75f], store.Values);
    }
}
