using Digits.Classical;
using Digits.Neural;
using Digits.Persistence;

namespace Digits.Fuzzing;

/// <summary>
/// One tiny model file of each kind, saved through the library as training would save it, with small random weights:
/// the valid files that model fuzzing starts from.
/// </summary>
public static class ModelSeeds
{
    /// <summary>A small CNN with every parameterized layer type: conv, batch norm, linear; with input standardization.</summary>
    private static readonly CnnArchitecture TinyCnn = new(CnnArchitecture.MnistInput,
        [new Conv2dSpec(2, 5, 3), new BatchNormSpec(), new ReluSpec(), new MaxPool2dSpec(2), new FlattenSpec(), new LinearSpec(10)],
        new InputStandardization(0.13f, 0.31f));

    /// <summary>The file of each kind, in <see cref="ModelKind.All"/> order.</summary>
    public static IReadOnlyList<byte[]> All()
    {
        var random = new Random(784);
        float[] Floats(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f)];

        var logreg = new SoftmaxRegression(Floats(10 * PixelFeatures.Count), Floats(10), deskew: false);
        var linearSvm = new LinearSvm(Floats(10 * PixelFeatures.Count), Floats(10), deskew: true, LinearSvmMulticlass.OneVsRest, LinearSvmLoss.SquaredHinge);
        return [Save(logreg), Save(linearSvm), Save(KernelSvm(random)), Save(Cnn(1)), Save(new EnsembleClassifier([Cnn(2), Cnn(3)]))];
    }

    private static KernelSvm KernelSvm(Random random)
    {
        const int classes = 10, supportVectors = 3, pairs = classes * (classes - 1) / 2;
        var pixels = new byte[supportVectors * PixelFeatures.Count];
        random.NextBytes(pixels);
        var pairClasses = new List<int>();
        for (int i = 0; i < classes; i++)
        {
            for (int j = i + 1; j < classes; j++)
                pairClasses.AddRange([i, j]);
        }
        float[] coefficients = [.. Enumerable.Range(0, supportVectors * pairs).Select(_ => (float)(random.NextDouble() - 0.5))];
        double[] rho = [.. Enumerable.Range(0, pairs).Select(_ => random.NextDouble() - 0.5)];
        PlattSigmoid[] sigmoids = [.. Enumerable.Range(0, pairs).Select(_ => new PlattSigmoid(-2 - random.NextDouble(), random.NextDouble() - 0.5))];
        return new KernelSvm(new RbfKernel(0.02), deskew: false, ModelMetadata.DigitLabels, pixels, coefficients, rho, sigmoids, [.. pairClasses]);
    }

    private static CnnClassifier Cnn(ulong seed)
    {
        var network = new Network(TinyCnn.Input, TinyCnn.Layers, 1, seed, trainable: false);
        return new CnnClassifier(TinyCnn, network.Parameters.Values, network.Parameters.Buffers, "cnn", new Preprocessing(Deskew: false));
    }

    private static byte[] Save(IPersistableModel model)
    {
        var metadata = new ModelMetadata
        {
            Kind = model.Kind,
            Recipe = model.Recipe,
            Labels = model.Labels,
            Architecture = model.Architecture,
            Preprocessing = model.Preprocessing,
            Command = "fuzz seed",
            Seed = 1,
            Metrics = """{"test_accuracy": 0.1}""",
            TrainDataSha256 = new string('0', 64),
        };
        return new SafeTensors(model.Tensors(), metadata.ToDictionary()).ToBytes();
    }
}
