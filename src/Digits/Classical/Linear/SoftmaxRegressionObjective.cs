using System.Numerics.Tensors;
using Digits.Tensors;

namespace Digits.Classical;

/// <summary>
/// The objective that <see cref="SoftmaxRegressionTrainer"/> minimizes, and its gradient:
/// <code>
/// f(W, b) = (1/n) · [ Σᵢ −log softmax(W·xᵢ + b)[yᵢ] + 1/(2C) · ‖W‖² ]
/// </code>
/// with W (classes × features) and b (classes). That is scikit-learn's <c>LogisticRegression(C)</c> objective (sum
/// of cross-entropies plus ‖W‖²/(2C), bias not penalized) divided by n, which has the same minimizer and keeps values
/// near 1 whatever n is.
/// </summary>
/// <remarks>
/// <para>
/// The optimizer sees centered parameters θ = [W | β] with b = β − W·μ, where μ is the mean feature vector, so that
/// logits are W·(x − μ) + β. This is a change of variables, not a change of objective (b is not penalized, so f has
/// the same minimum at the same W and b), but it removes the coupling between every weight and the bias that makes
/// uncentered pixels (all ≥ 0) ill-conditioned (LeCun et al. 1998, "Efficient BackProp", section 4.3). On MNIST,
/// L-BFGS reaches in 30 iterations the objective it needs 90 for uncentered. Scaling each feature to unit variance
/// as well was slower here: it magnifies near-constant border pixels.
/// </para>
/// <para>
/// The two matrix products, logits Z = W·Xᵀ (classes × n, one row per class) and ∂f/∂W = G·X with G = (P − Y)/n,
/// run on <see cref="Gemm"/>; this layout of Z was faster than n × classes for ten classes. The softmax, loss and bias
/// gradient work on columns of Z in fixed chunks of samples on <see cref="WorkerPool"/>, vectorized across samples;
/// sums are taken in double per chunk and added in chunk order, so results do not depend on the thread count.
/// </para>
/// </remarks>
internal sealed unsafe class SoftmaxRegressionObjective
{
    /// <summary>Samples per softmax work item; fixed so that sums are taken in the same order for any thread count.</summary>
    private const int SampleChunk = 2048;

    private readonly float[] features;
    private readonly byte[] labels;
    private readonly float[] mean;
    private readonly float[] logits;
    private readonly float[] weights;
    private readonly float[] bias;
    private readonly float[] columnMax;
    private readonly float[] columnSum;
    private readonly double[] chunkLoss;
    private readonly double[] chunkBiasGradient;
    private readonly double[] biasGradient;

    /// <param name="features">count × <paramref name="featureCount"/> floats in a pinned array (see <see cref="PixelFeatures"/>).</param>
    /// <param name="labels">count labels in 0..classes−1.</param>
    /// <param name="c">Inverse regularization strength C &gt; 0, in scikit-learn's units (per sum over samples).</param>
    public SoftmaxRegressionObjective(float[] features, byte[] labels, int count, int featureCount, int classes, double c)
    {
        this.features = features;
        this.labels = labels;
        Count = count;
        FeatureCount = featureCount;
        Classes = classes;
        Lambda = 1 / (c * count);
        mean = FeatureMeans(features, count, featureCount);
        logits = GC.AllocateUninitializedArray<float>(classes * count, pinned: true);
        weights = new float[classes * featureCount];
        bias = GC.AllocateArray<float>(classes, pinned: true);
        columnMax = GC.AllocateUninitializedArray<float>(count, pinned: true);
        columnSum = GC.AllocateUninitializedArray<float>(count, pinned: true);
        int chunks = (count + SampleChunk - 1) / SampleChunk;
        chunkLoss = GC.AllocateArray<double>(chunks, pinned: true);
        chunkBiasGradient = GC.AllocateArray<double>(chunks * classes, pinned: true);
        biasGradient = new double[classes];
    }

    public int Count { get; }

    public int FeatureCount { get; }

    public int Classes { get; }

    /// <summary>The L2 weight per sample: f holds λ/2·‖W‖² with λ = 1 / (C·n).</summary>
    public double Lambda { get; }

    /// <summary>Length of θ.</summary>
    public int ParameterCount => Classes * FeatureCount + Classes;

    /// <summary>f at θ = [W | β] (see the remarks); writes ∂f/∂θ into <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<float> parameters, Span<float> gradient)
    {
        int k = Classes, d = FeatureCount, n = Count, weightCount = k * d;
        ToModel(parameters, weights, bias);
        Gemm.Multiply(false, true, k, n, d, 1f, weights, d, features, d, 0f, logits, n);

        int chunks = chunkLoss.Length;
        fixed (float* logits = this.logits, bias = this.bias, columnMax = this.columnMax, columnSum = this.columnSum)
        fixed (byte* labels = this.labels)
        fixed (double* chunkLoss = this.chunkLoss, chunkBias = chunkBiasGradient)
        {
            WorkerPool.For(chunks, new SoftmaxColumns(logits, bias, labels, columnMax, columnSum, chunkLoss, chunkBias, n, k));
        }

        Span<float> weightGradient = gradient[..weightCount];
        Gemm.Multiply(false, false, k, d, n, 1f, logits, n, features, d, 0f, weightGradient, d);
        double loss = 0;
        for (int chunk = 0; chunk < chunks; chunk++)
            loss += chunkLoss[chunk];
        for (int j = 0; j < k; j++)
        {
            double sum = 0;
            for (int chunk = 0; chunk < chunks; chunk++)
                sum += chunkBiasGradient[chunk * k + j];
            biasGradient[j] = sum / n;
            gradient[weightCount + j] = (float)biasGradient[j];
        }
        for (int j = 0; j < k; j++)
        {
            // ∂f/∂W at fixed β = G·X − (∂f/∂b)·μᵀ + λ·W, through b = β − W·μ.
            Span<float> row = weightGradient.Slice(j * d, d);
            TensorPrimitives.MultiplyAdd(mean, (float)-biasGradient[j], row, row);
            TensorPrimitives.MultiplyAdd(weights.AsSpan(j * d, d), (float)Lambda, row, row);
        }
        double squaredNorm = double.CreateChecked(TensorPrimitives.Dot<float>(weights, weights));
        return loss / n + 0.5 * Lambda * squaredNorm;
    }

    /// <summary>The model's W (classes × features) and b = β − W·μ (classes) for optimizer parameters θ = [W | β].</summary>
    public void ToModel(ReadOnlySpan<float> parameters, Span<float> weights, Span<float> bias)
    {
        int d = FeatureCount;
        parameters[..(Classes * d)].CopyTo(weights);
        for (int j = 0; j < Classes; j++)
            bias[j] = (float)(parameters[Classes * d + j] - (double)TensorPrimitives.Dot<float>(weights.Slice(j * d, d), mean));
    }

    /// <summary>μ, the mean of each feature over the samples, summed in double.</summary>
    private static float[] FeatureMeans(float[] features, int count, int featureCount)
    {
        var sum = new double[featureCount];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> row = features.AsSpan(i * featureCount, featureCount);
            for (int j = 0; j < featureCount; j++)
                sum[j] += row[j];
        }
        var mean = new float[featureCount];
        for (int j = 0; j < featureCount; j++)
            mean[j] = (float)(sum[j] / count);
        return mean;
    }

    /// <summary>
    /// For one chunk of samples (columns of Z, classes × n): adds the bias, takes the cross-entropy −log pᵧ as
    /// logsumexp(z) − zᵧ (stable for any z), and overwrites the column with (p − onehot(y)) / n, its part of ∂f/∂Z.
    /// </summary>
    private readonly struct SoftmaxColumns(float* logits, float* bias, byte* labels, float* columnMax, float* columnSum,
        double* chunkLoss, double* chunkBias, int count, int classes) : IParallelBody
    {
        public void Run(int index)
        {
            int start = index * SampleChunk, length = Math.Min(count, start + SampleChunk) - start;
            var max = new Span<float>(columnMax + start, length);
            var sum = new Span<float>(columnSum + start, length);
            for (int c = 0; c < classes; c++)
            {
                Span<float> z = Row(c, start, length);
                TensorPrimitives.Add(z, bias[c], z);
                if (c == 0)
                    z.CopyTo(max);
                else
                    TensorPrimitives.Max(max, z, max);
            }
            double loss = 0;
            for (int i = 0; i < length; i++)
                loss -= logits[(long)labels[start + i] * count + start + i] - max[i];
            sum.Clear();
            for (int c = 0; c < classes; c++)
            {
                Span<float> z = Row(c, start, length);
                TensorPrimitives.Subtract(z, max, z);
                TensorPrimitives.Exp(z, z);
                TensorPrimitives.Add(sum, z, sum);
            }
            for (int i = 0; i < length; i++)
                loss += Math.Log(sum[i]);
            TensorPrimitives.Reciprocal(sum, sum);
            for (int c = 0; c < classes; c++)
                TensorPrimitives.Multiply(Row(c, start, length), sum, Row(c, start, length));
            for (int i = 0; i < length; i++)
                logits[(long)labels[start + i] * count + start + i] -= 1f;
            float inverseCount = 1f / count;
            for (int c = 0; c < classes; c++)
            {
                Span<float> z = Row(c, start, length);
                chunkBias[index * classes + c] = TensorPrimitives.Sum<float>(z);
                TensorPrimitives.Multiply(z, inverseCount, z);
            }
            chunkLoss[index] = loss;
        }

        private Span<float> Row(int c, int start, int length) => new(logits + (long)c * count + start, length);
    }
}
