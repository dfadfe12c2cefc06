using Digits.Neural;

namespace Digits.Tests.Neural;

/// <summary>
/// Central-difference gradient check (as in tiny-dnn's layer tests) for a network built from layer specs: the
/// loss is Σ r·out with fixed random r, so ∂loss/∂out = r. Each numerical derivative rebuilds the network from
/// the same seed, so dropout masks repeat, and evaluates the loss in double.
/// </summary>
internal sealed class GradientCheck(SampleShape inputShape, LayerSpec[] specs, int batch, bool training)
{
    private const ulong Seed = 7;

    public float Step { get; init; } = 1e-2f;

    /// <summary>Largest relative error |a − n| / max(floor, |a| + |n|) over all inputs and parameters.</summary>
    public (double InputError, double ParameterError) Run(float[] inputs, Action<ParameterStore>? setParameters = null)
    {
        var network = Build(setParameters);
        int outputs = batch * network.OutputShape.Size;
        var rng = new Rng(99);
        float[] weights = new float[outputs];
        for (int i = 0; i < outputs; i++)
        {
            weights[i] = 2f * rng.NextFloat() - 1f;
        }
        float[] values = (float[])network.Parameters.Values.Clone();
        float[] buffers = (float[])network.Parameters.Buffers.Clone();

        network.Forward(inputs, batch, training);
        float[] dinputs = new float[inputs.Length];
        network.Backward(weights, dinputs);
        float[] dparameters = (float[])network.Parameters.Gradients.Clone();

        double inputError = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            float original = inputs[i];
            inputs[i] = original + Step;
            double plus = Loss(inputs, values, buffers, weights);
            inputs[i] = original - Step;
            double minus = Loss(inputs, values, buffers, weights);
            inputs[i] = original;
            inputError = Math.Max(inputError, RelativeError(dinputs[i], (plus - minus) / (2 * Step)));
        }
        double parameterError = 0;
        for (int j = 0; j < values.Length; j++)
        {
            float original = values[j];
            values[j] = original + Step;
            double plus = Loss(inputs, values, buffers, weights);
            values[j] = original - Step;
            double minus = Loss(inputs, values, buffers, weights);
            values[j] = original;
            parameterError = Math.Max(parameterError, RelativeError(dparameters[j], (plus - minus) / (2 * Step)));
        }
        return (inputError, parameterError);
    }

    private Network Build(Action<ParameterStore>? setParameters)
    {
        var network = new Network(inputShape, specs, batch, Seed);
        setParameters?.Invoke(network.Parameters);
        return network;
    }

    private double Loss(float[] inputs, float[] values, float[] buffers, float[] weights)
    {
        var network = new Network(inputShape, specs, batch, Seed);
        values.CopyTo(network.Parameters.Values, 0);
        buffers.CopyTo(network.Parameters.Buffers, 0);
        ReadOnlySpan<float> outputs = network.Forward(inputs, batch, training);
        double loss = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            loss += (double)weights[i] * outputs[i];
        }
        return loss;
    }

    private static double RelativeError(double analytic, double numeric) =>
        Math.Abs(analytic - numeric) / Math.Max(1e-2, Math.Abs(analytic) + Math.Abs(numeric));

    /// <summary>Uniform values in ±[0.1, 1.1): away from ReLU's kink at 0.</summary>
    public static float[] AwayFromZero(int length, ulong seed)
    {
        var rng = new Rng(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            float magnitude = 0.1f + rng.NextFloat();
            values[i] = rng.NextInt(2) == 0 ? magnitude : -magnitude;
        }
        return values;
    }

    /// <summary>A shuffled ladder of values 0.05 apart: no two within 2·step, so max pooling has no near-ties.</summary>
    public static float[] DistinctLadder(int length, ulong seed)
    {
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (i - length / 2) * 0.05f;
        }
        new Rng(seed).Shuffle(values.AsSpan());
        return values;
    }
}
