using Digits.Classical;
using Digits.Data;

namespace Digits.Tests.Classical;

public class VirtualSupportVectorsTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(-1, 0)]
    [InlineData(0, 1)]
    [InlineData(0, -1)]
    public void Translate_moves_every_pixel_and_fills_with_background(int dx, int dy)
    {
        const int rows = 5, cols = 4;
        byte[] source = Enumerable.Range(1, rows * cols).Select(v => (byte)v).ToArray();
        var moved = new byte[rows * cols];
        VirtualSupportVectors.Translate(source, moved, rows, cols, dx, dy);
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                int sx = x - dx, sy = y - dy;
                byte expected = sx >= 0 && sx < cols && sy >= 0 && sy < rows ? source[sy * cols + sx] : (byte)0;
                Assert.Equal(expected, moved[y * cols + x]);
            }
        }
    }

    [Fact]
    public void Create_keeps_each_support_vector_then_its_four_moves_with_its_label()
    {
        var data = TestData.Mnist.Train.Take(10);
        LabeledImages set = VirtualSupportVectors.Create(data.Pixels, data.Labels, [7, 2], 28, 28, 10);
        Assert.Equal(10, set.Count);
        Assert.Equal(Enumerable.Repeat(data.Labels[7], 5).Concat(Enumerable.Repeat(data.Labels[2], 5)), set.Labels);
        Assert.Equal(data.Pixels.AsSpan(7 * 784, 784).ToArray(), set.Pixels.AsSpan(0, 784).ToArray());
        var right = new byte[784];
        VirtualSupportVectors.Translate(data.Pixels.AsSpan(2 * 784, 784), right, 28, 28, 1, 0);
        Assert.Equal(right, set.Pixels.AsSpan(6 * 784, 784).ToArray());
    }

    [Fact]
    public void A_virtual_sv_fit_keeps_translated_copies_among_its_support_vectors()
    {
        var train = TestData.Mnist.Train.Take(300);
        var options = new KernelSvmOptions { Gamma = 0.02, VirtualSupportVectors = true, Threads = 2 };
        KernelSvm model = new KernelSvmTrainer(options).Fit(train);
        byte[] vectors = model.Tensors().First(t => t.Name == "support_vectors").Bytes.ToArray();
        var originals = new HashSet<string>();
        for (int i = 0; i < train.Count; i++)
            originals.Add(Convert.ToBase64String(train.Pixels, i * 784, 784));
        int translated = 0;
        for (int s = 0; s < model.SupportVectorCount; s++)
            translated += originals.Contains(Convert.ToBase64String(vectors, s * 784, 784)) ? 0 : 1;
        Assert.InRange(translated, 1, model.SupportVectorCount - 1);
        var test = TestData.Mnist.Test.Take(300);
        Assert.InRange(Digits.Evaluation.Evaluator.Evaluate(model, test.Pixels, test.Labels, test.Count).Accuracy, 0.8, 1.0);
    }
}
