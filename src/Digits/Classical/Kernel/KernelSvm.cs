using System.Globalization;
using System.Text.Json;
using Digits.Persistence;
using Digits.Tensors;

namespace Digits.Classical;

/// <summary>
/// A one-vs-one kernel SVM (C-SVC, as libsvm): one two-class SVM per pair of classes, k(k−1)/2 in all, whose
/// support vectors are stored once as their union. Prediction computes the kernel of a batch against that union
/// with one GEMM, then every pair's decision value with a second GEMM against a dense (support vector × pair)
/// coefficient matrix, turns each into a pairwise probability with the pair's Platt sigmoid, and couples those
/// into class probabilities (<see cref="PairwiseCoupling"/>).
/// </summary>
/// <remarks>
/// File layout (kind <c>svm</c>): <c>support_vectors</c> U8 [m, 784] (after preprocessing, so pixels/255 gives the
/// exact training features), <c>dual_coef</c> F32 [m, pairs] (α_i·y_i, zero where a vector is not in the pair),
/// <c>rho</c>, <c>prob_a</c>, <c>prob_b</c> F64 [pairs], and <c>pair_classes</c> I32 [pairs, 2] with the +1 class
/// first. The kernel and its parameters are in the architecture JSON.
/// <para>
/// Prediction is thread-safe (every call has its own buffers). Its GEMMs use <see cref="WorkerPool"/>; called from a
/// work item, they run on that item's thread.
/// </para>
/// </remarks>
public sealed class KernelSvm : IPersistableModel
{
    /// <summary>Test images per kernel GEMM in <see cref="Predict"/>: bounds the kernel block to batch × m floats.</summary>
    private const int PredictBatch = 512;

    private readonly byte[] supportVectors;
    private readonly float[] supportFeatures;
    private readonly float[] supportNorms;
    private readonly float[] coefficients;
    private readonly double[] rho;
    private readonly PlattSigmoid[] sigmoids;
    private readonly int[] pairClasses;

    internal KernelSvm(SvmKernel kernel, bool deskew, IReadOnlyList<string> labels, byte[] supportVectors,
        float[] coefficients, double[] rho, PlattSigmoid[] sigmoids, int[] pairClasses)
    {
        int k = labels.Count;
        int pairs = k * (k - 1) / 2;
        if (rho.Length != pairs || sigmoids.Length != pairs || pairClasses.Length != 2 * pairs)
            throw new ArgumentException($"{k} classes need {pairs} pairs");
        SupportVectorCount = supportVectors.Length / SvmInputs.PixelsPerImage;
        if (coefficients.Length != SupportVectorCount * pairs)
            throw new ArgumentException($"{SupportVectorCount} support vectors and {pairs} pairs need {SupportVectorCount * pairs} coefficients, found {coefficients.Length}");
        Kernel = kernel;
        Preprocessing = new Preprocessing(deskew);
        Labels = labels;
        this.supportVectors = supportVectors;
        supportFeatures = SvmInputs.ToFeatures(supportVectors);
        supportNorms = new float[SupportVectorCount];
        SvmKernel.SquaredNorms(supportFeatures, SupportVectorCount, SvmInputs.PixelsPerImage, supportNorms);
        this.coefficients = coefficients;
        this.rho = rho;
        this.sigmoids = sigmoids;
        this.pairClasses = pairClasses;
    }

    public string Name => ModelKind.Svm;

    public IReadOnlyList<string> Labels { get; }

    public string Kind => ModelKind.Svm;

    public string? Recipe => null;

    public SvmKernel Kernel { get; }

    public Preprocessing Preprocessing { get; }

    /// <summary>Size of the union of all pairs' support vectors.</summary>
    public int SupportVectorCount { get; }

    public int PairCount => rho.Length;

    public string Architecture => string.Create(CultureInfo.InvariantCulture,
        $"{{{Kernel.ParametersJson()}, \"classes\": {Labels.Count}, \"pairs\": {PairCount}, \"support_vectors\": {SupportVectorCount}, \"features\": {SvmInputs.PixelsPerImage}}}");

    public IEnumerable<TensorData> Tensors()
    {
        yield return TensorData.FromBytes("support_vectors", supportVectors, SupportVectorCount, SvmInputs.PixelsPerImage);
        yield return TensorData.FromFloats("dual_coef", coefficients, SupportVectorCount, PairCount);
        yield return TensorData.FromDoubles("rho", rho, PairCount);
        var a = new double[PairCount];
        var b = new double[PairCount];
        for (int p = 0; p < PairCount; p++)
            (a[p], b[p]) = (sigmoids[p].A, sigmoids[p].B);
        yield return TensorData.FromDoubles("prob_a", a, PairCount);
        yield return TensorData.FromDoubles("prob_b", b, PairCount);
        yield return TensorData.FromInt32s("pair_classes", pairClasses, PairCount, 2);
    }

    /// <summary>Rebuilds a model saved with <see cref="Tensors"/>; its predictions are bit-identical.</summary>
    /// <exception cref="DigitsException">Not an <c>svm</c> file, or its tensors or architecture do not fit together.</exception>
    public static KernelSvm FromModelFile(ModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Metadata.Kind != ModelKind.Svm)
            throw new DigitsException(file.Name, $"is a '{file.Metadata.Kind}' model, not '{ModelKind.Svm}'");
        var kernel = ParseKernel(file.Metadata.Architecture, file.Name);
        int k = file.Metadata.Labels.Count;
        if (k < 2)
            throw new DigitsException(file.Name, $"a kernel SVM needs at least two labels, found {k}");
        long pairCount = (long)k * (k - 1) / 2;
        if (pairCount > Array.MaxLength)
            throw new DigitsException(file.Name, $"{k} labels make {pairCount} class pairs, more than one tensor can hold");
        int pairs = (int)pairCount;
        TensorData supportTensor = file.Require("support_vectors", TensorDType.U8, -1, SvmInputs.PixelsPerImage);
        int m = supportTensor.Shape[0];
        TensorData coefficientTensor = file.Require("dual_coef", TensorDType.F32, m, pairs);
        TensorData rhoTensor = file.Require("rho", TensorDType.F64, pairs);
        var a = file.Require("prob_a", TensorDType.F64, pairs).AsDoubles();
        var b = file.Require("prob_b", TensorDType.F64, pairs).AsDoubles();
        // Beyond copies of the checked tensors: the support vectors as floats with their norms, and the k × k
        // pairwise matrix of coupling.
        new ModelMemoryBudget(file).Claim((long)m * (SvmInputs.PixelsPerImage + 1) * sizeof(float) + (long)k * k * sizeof(double), "kernel SVM");
        byte[] supportVectors = supportTensor.Bytes.ToArray();
        float[] coefficients = coefficientTensor.AsFloats().ToArray();
        double[] rho = rhoTensor.AsDoubles().ToArray();
        var sigmoids = new PlattSigmoid[pairs];
        for (int p = 0; p < pairs; p++)
            sigmoids[p] = new PlattSigmoid(a[p], b[p]);
        int[] pairClasses = file.Require("pair_classes", TensorDType.I32, pairs, 2).AsInt32s().ToArray();
        foreach (int c in pairClasses)
        {
            if (c < 0 || c >= k)
                throw new DigitsException(file.Name, $"tensor 'pair_classes' holds class {c}, outside 0..{k - 1}");
        }
        return new KernelSvm(kernel, file.Metadata.Preprocessing.Deskew, file.Metadata.Labels, supportVectors,
            coefficients, rho, sigmoids, pairClasses);
    }

    /// <summary>
    /// Decision values f_p(x) for every image and pair (count × <see cref="PairCount"/>); positive favours the pair's
    /// first class.
    /// </summary>
    public void DecisionValues(ReadOnlySpan<byte> images, int count, Span<float> decisions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int pairs = PairCount, m = SupportVectorCount, d = SvmInputs.PixelsPerImage;
        if (decisions.Length < count * pairs)
            throw new ArgumentException($"{count} images need {count * pairs} decision values, found room for {decisions.Length}", nameof(decisions));
        ReadOnlySpan<byte> prepared = SvmInputs.Prepare(images, count, Preprocessing.Deskew);
        int batch = Math.Min(PredictBatch, Math.Max(count, 1));
        var features = new float[batch * d];
        var norms = new float[batch];
        var kernelBlock = new float[batch * m];
        for (int start = 0; start < count; start += batch)
        {
            int rows = Math.Min(batch, count - start);
            Imaging.ModelInput.ToUnitFloats(prepared.Slice(start * d, rows * d), features);
            SvmKernel.SquaredNorms(features, rows, d, norms);
            var block = decisions.Slice(start * pairs, rows * pairs);
            if (m == 0)
            {
                block.Clear();
            }
            else
            {
                Kernel.Block(features, norms, rows, supportFeatures, supportNorms, m, d, kernelBlock, parallel: true);
                Gemm.Multiply(false, false, rows, pairs, m, 1f, kernelBlock, m, coefficients, pairs, 0f, block, pairs);
            }
            for (int r = 0; r < rows; r++)
            {
                for (int p = 0; p < pairs; p++)
                    block[r * pairs + p] -= (float)rho[p];
            }
        }
    }

    public void Predict(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        int k = Labels.Count, pairs = PairCount;
        if (probabilities.Length < count * k)
            throw new ArgumentException($"{count} images need {count * k} probabilities, found room for {probabilities.Length}", nameof(probabilities));
        var decisions = new float[count * pairs];
        DecisionValues(images, count, decisions);
        var coupling = new PairwiseCoupling(k);
        var pairwise = new double[k * k];
        var classProbabilities = new double[k];
        const double minProbability = 1e-7;
        for (int i = 0; i < count; i++)
        {
            for (int p = 0; p < pairs; p++)
            {
                int first = pairClasses[2 * p], second = pairClasses[2 * p + 1];
                double r = Math.Clamp(sigmoids[p].Probability(decisions[i * pairs + p]), minProbability, 1 - minProbability);
                pairwise[first * k + second] = r;
                pairwise[second * k + first] = 1 - r;
            }
            coupling.Couple(pairwise, classProbabilities);
            double sum = 0;
            for (int c = 0; c < k; c++)
                sum += classProbabilities[c];
            for (int c = 0; c < k; c++)
                probabilities[i * k + c] = (float)(classProbabilities[c] / sum);
        }
    }

    /// <summary>The class with the most pairwise wins per image (ties to the lower class), as libsvm predicts without probabilities.</summary>
    public void PredictVotes(ReadOnlySpan<byte> images, int count, Span<int> classes)
    {
        int k = Labels.Count, pairs = PairCount;
        var decisions = new float[count * pairs];
        DecisionValues(images, count, decisions);
        Span<int> votes = stackalloc int[k];
        for (int i = 0; i < count; i++)
        {
            votes.Clear();
            for (int p = 0; p < pairs; p++)
                votes[decisions[i * pairs + p] > 0 ? pairClasses[2 * p] : pairClasses[2 * p + 1]]++;
            int best = 0;
            for (int c = 1; c < k; c++)
            {
                if (votes[c] > votes[best])
                    best = c;
            }
            classes[i] = best;
        }
    }

    private static SvmKernel ParseKernel(string architecture, string fileName)
    {
        try
        {
            using var document = JsonDocument.Parse(architecture);
            var root = document.RootElement;
            string? name = root.GetProperty("kernel").GetString();
            double gamma = root.GetProperty("gamma").GetDouble();
            return name switch
            {
                "rbf" => new RbfKernel(gamma),
                "poly" => new PolynomialKernel(gamma, root.GetProperty("coef0").GetDouble(), root.GetProperty("degree").GetInt32()),
                _ => throw new DigitsException(fileName, $"architecture kernel '{name}' is unknown, expected rbf or poly"),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            string problem = e switch
            {
                KeyNotFoundException => "it lacks one of kernel, gamma, coef0 and degree",
                JsonException => "it is not valid JSON",
                _ => "kernel, gamma, coef0 or degree has the wrong type or range",
            };
            throw new DigitsException(fileName, $"architecture is not a kernel SVM's: {problem}", e);
        }
    }
}
