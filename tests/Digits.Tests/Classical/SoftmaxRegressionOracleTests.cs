using Digits.Classical;
using Digits.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using static Digits.Tests.Classical.LinearModelFixture;

namespace Digits.Tests.Classical;

/// <summary>
/// Softmax regression against ML.NET's <c>LbfgsMaximumEntropy</c>, an independent L-BFGS fit of the same model.
/// </summary>
/// <remarks>
/// Mapping the regularization: ML.NET's L-BFGS trainers (<c>LbfgsTrainerBase.DifferentiableFunction</c> in
/// dotnet/machinelearning) minimize (Σᵢ lossᵢ + ½·L2Regularization·‖W‖²) / Σ weights, biases not penalized. Ours
/// minimizes (Σᵢ lossᵢ + ‖W‖²/(2C)) / n, so the two objectives are the same function when L2Regularization = 1/C.
/// </remarks>
public class SoftmaxRegressionOracleTests
{
    private const double C = 1;

    /// <summary>600 images: ML.NET's fit then takes a few seconds on a loaded machine.</summary>
    private static readonly LabeledImages Subset = Train.Take(600);

    private sealed class Row
    {
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        public uint Label { get; set; }
    }

    /// <summary>Σᵢ −log softmax(W·xᵢ + b)[yᵢ] + ‖W‖²/(2C), in double: the objective both fits minimize (times n).</summary>
    private static double Objective(LabeledImages data, float[] weights, float[] bias)
    {
        double total = 0;
        double[] z = new double[10];
        float[] x = new float[784];
        for (int i = 0; i < data.Count; i++)
        {
            Digits.Imaging.ModelInput.ToUnitFloats(data.Image(i), x);
            for (int c = 0; c < 10; c++)
            {
                double s = bias[c];
                for (int j = 0; j < 784; j++)
                    s += (double)weights[c * 784 + j] * x[j];
                z[c] = s;
            }
            double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
            total += max + Math.Log(sum) - z[data.Labels[i]];
        }
        double norm = weights.Sum(w => (double)w * w);
        return total + norm / (2 * C);
    }

    [Fact]
    public void Fit_reaches_the_objective_and_accuracy_of_MLNET_LbfgsMaximumEntropy()
    {
        var ml = new MLContext(seed: 1);
        var rows = new Row[Subset.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var features = new float[784];
            Digits.Imaging.ModelInput.ToUnitFloats(Subset.Image(i), features);
            rows[i] = new Row { Features = features, Label = Subset.Labels[i] };
        }
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = (float)(1 / C),
                L1Regularization = 0,
                OptimizationTolerance = 1e-6f,
                MaximumNumberOfIterations = 1000,
                NumberOfThreads = 1,
            }));
        var oracle = pipeline.Fit(ml.Data.LoadFromEnumerable(rows)).LastTransformer.Model;
        VBuffer<float>[] classWeights = [];
        oracle.GetWeights(ref classWeights, out int classes);
        float[] oracleWeights = classWeights.SelectMany(w => w.DenseValues()).ToArray();
        float[] oracleBias = oracle.GetBiases().ToArray();

        var ours = new SoftmaxRegressionTrainer(new SoftmaxRegressionOptions { C = C, Tolerance = 1e-8, MaxIterations = 1000 }).Fit(Subset);

        Assert.Equal(10, classes);
        double oracleObjective = Objective(Subset, oracleWeights, oracleBias);
        double ourObjective = Objective(Subset, ours.Weights.ToArray(), ours.Bias.ToArray());
        Assert.True(Math.Abs(ourObjective - oracleObjective) <= 1e-3 * oracleObjective,
            $"objective {ourObjective:F4}, ML.NET {oracleObjective:F4}");
        var oracleModel = new SoftmaxRegression(oracleWeights, oracleBias, deskew: false);
        Assert.Equal(Accuracy(oracleModel, Test), Accuracy(ours, Test), 0.01);
    }
}
