using Digits.Tensors;

namespace Digits.Neural;

/// <summary>
/// Batch normalization (Ioffe &amp; Szegedy 2015) over channels, like PyTorch's <c>nn.BatchNorm2d</c> after a
/// convolution and <c>nn.BatchNorm1d</c> after a flat layer. Training normalizes with the batch's statistics and
/// moves the running statistics by <see cref="Momentum"/> (the running variance uses the unbiased batch
/// variance, as PyTorch does); evaluation normalizes with the running statistics.
/// </summary>
public sealed class BatchNorm : Layer
{
    /// <summary>Weight of the newest batch in the running statistics (PyTorch's default).</summary>
    public const float Momentum = 0.1f;

    /// <summary>Added to the variance before the square root, for stability (PyTorch's default).</summary>
    public const float Epsilon = 1e-5f;

    private readonly int channels, plane;
    private ParameterView weight = null!, bias = null!, runningMean = null!, runningVar = null!;
    private float[] mean = [], variance = [], invstd = [];
    private bool lastForwardUsedBatchStatistics;

    public BatchNorm(SampleShape input) : base(input, input)
    {
        channels = input.Channels;
        plane = input.Height * input.Width;
    }

    public override string Kind => InputShape.Rank == 1 ? "BatchNorm1d" : "BatchNorm2d";

    protected override void DeclareParameters(string prefix)
    {
        weight = AddParameter(prefix + "weight", [channels], false);
        bias = AddParameter(prefix + "bias", [channels], false);
        runningMean = AddBuffer(prefix + "running_mean", [channels]);
        runningVar = AddBuffer(prefix + "running_var", [channels]);
    }

    internal override void Prepare(int maxBatch, ulong seed)
    {
        mean = new float[channels];
        variance = new float[channels];
        invstd = new float[channels];
    }

    internal override long ScratchBytes(int maxBatch) => 3L * channels * sizeof(float);

    /// <summary>A negative running variance would make every output NaN (the square root of a negative number).</summary>
    internal override string? LoadedParameterProblem()
    {
        foreach (float v in Store.Buffer(runningVar))
        {
            if (v < 0f)
            {
                return $"running variance {v} is negative";
            }
        }
        return null;
    }

    internal override void Initialize(Rng rng)
    {
        Store.Value(weight).Fill(1f);
        Store.Value(bias).Clear();
        Store.Buffer(runningMean).Clear();
        Store.Buffer(runningVar).Fill(1f);
    }

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, bool training)
    {
        if (training)
        {
            BatchNormalization.Statistics(input, batch, channels, plane, mean, variance);
            Span<float> runMean = Store.Buffer(runningMean), runVar = Store.Buffer(runningVar);
            long count = (long)batch * plane;
            float unbias = count > 1 ? (float)count / (count - 1) : 1f;
            for (int c = 0; c < channels; c++)
            {
                runMean[c] = (1 - Momentum) * runMean[c] + Momentum * mean[c];
                runVar[c] = (1 - Momentum) * runVar[c] + Momentum * variance[c] * unbias;
            }
        }
        else
        {
            Store.Buffer(runningMean).CopyTo(mean);
            Store.Buffer(runningVar).CopyTo(variance);
        }
        for (int c = 0; c < channels; c++)
        {
            invstd[c] = 1f / MathF.Sqrt(variance[c] + Epsilon);
        }
        lastForwardUsedBatchStatistics = training;
        BatchNormalization.Normalize(input, output, batch, channels, plane, Store.Value(weight), Store.Value(bias), mean, invstd);
    }

    public override void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> doutput,
        Span<float> dinput, int batch) =>
        BatchNormalization.Backward(dinput, Store.Gradient(weight), Store.Gradient(bias), doutput, input, batch, channels, plane,
            Store.Value(weight), mean, invstd, lastForwardUsedBatchStatistics);
}
