namespace Digits.Neural.Optimizers;

/// <summary>
/// Updates a <see cref="ParameterStore"/> from its accumulated gradients, one tensor view at a time (so weight
/// decay can skip biases and BatchNorm parameters), then zeroes the gradients for the next batch.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(ParameterStore store, float weightDecay, bool decayAll)
    {
        if (!(weightDecay >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "must be non-negative");
        }
        Store = store;
        WeightDecay = weightDecay;
        DecayAll = decayAll;
    }

    public ParameterStore Store { get; }

    /// <summary>Weight-decay coefficient (per step, multiplied by the learning rate).</summary>
    public float WeightDecay { get; }

    /// <summary>
    /// Decay every tensor, as PyTorch does by default, instead of only those with <see cref="ParameterView.Decay"/>
    /// (weights, not biases or BatchNorm parameters).
    /// </summary>
    public bool DecayAll { get; }

    /// <summary>Updates taken so far; restore it with the state arrays to resume training.</summary>
    public long Steps { get; set; }

    /// <summary>Applies one update with <paramref name="learningRate"/> and zeroes the gradients.</summary>
    public void Step(float learningRate)
    {
        if (!(learningRate >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "must be non-negative");
        }
        Steps++;
        IReadOnlyList<ParameterView> views = Store.Parameters;
        for (int i = 0; i < views.Count; i++)
        {
            ParameterView view = views[i];
            float decay = DecayAll || view.Decay ? WeightDecay : 0f;
            Update(view.Offset, view.Length, learningRate, decay);
        }
        Array.Clear(Store.Gradients);
    }

    /// <summary>Updates floats [offset, offset + length) of the store, with this tensor's decay coefficient.</summary>
    protected abstract void Update(int offset, int length, float learningRate, float weightDecay);
}
