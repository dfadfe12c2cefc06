using Digits.Classical;
using Digits.Persistence;
using static Digits.Tests.Classical.LinearModelFixture;

namespace Digits.Tests.Classical;

public class LinearSvmTests
{
    /// <summary>The default: Crammer–Singer.</summary>
    private static readonly Lazy<LinearSvm> Fitted = new(() => new LinearSvmTrainer().Fit(Train));

    /// <summary>Images whose only ink is pixels 0 and 1, with the given intensities: a 2-D problem in a 784-D space.</summary>
    private static SparsePixels TwoDimensional(params (byte First, byte Second)[] points)
    {
        byte[] pixels = new byte[points.Length * 784];
        for (int i = 0; i < points.Length; i++)
        {
            pixels[i * 784] = points[i].First;
            pixels[i * 784 + 1] = points[i].Second;
        }
        return new SparsePixels(pixels, points.Length);
    }

    [Fact]
    public void Separable_2d_problem_gives_the_hand_derived_maximum_margin_separator()
    {
        // Positives (0.5, 0), (1, 0), (1, 0.2); negatives (0, 0.5), (0, 1), bias as a third feature of value 1.
        // The minimum of ½‖(w, b)‖² subject to y(w·x + b) ≥ 1 is w = (2, −2), b = 0, with α = 4 on the two points
        // at (0.5, 0) and (0, 0.5) and α = 0 on the rest, which lie beyond the margin.
        var samples = TwoDimensional((128, 0), (255, 0), (255, 51), (0, 128), (0, 255));
        bool[] positive = [true, true, true, false, false];
        float[] w = new float[785];
        double[] alpha = new double[5];

        var outcome = DualCoordinateDescent.Solve(samples, positive, c: 10, LinearSvmLoss.Hinge, tolerance: 1e-6,
            maxPasses: 10000, shrinking: true, new Rng(1), w, alpha);

        Assert.True(outcome.Converged);
        double scale = 128 / 255.0 / 0.5; // pixel 128 is 0.502, not 0.5: the exact optimum scales by 1/0.502
        Assert.Equal(2 / scale, w[0], 1e-3);
        Assert.Equal(-2 / scale, w[1], 1e-3);
        Assert.Equal(0, w[784], 1e-4);
        Assert.Equal(4 / (scale * scale), alpha[0], 1e-2);
        Assert.Equal(4 / (scale * scale), alpha[3], 1e-2);
        Assert.Equal([0.0, 0.0, 0.0], new[] { alpha[1], alpha[2], alpha[4] });
    }

    [Theory]
    [InlineData(LinearSvmLoss.Hinge, true)]
    [InlineData(LinearSvmLoss.Hinge, false)]
    [InlineData(LinearSvmLoss.SquaredHinge, true)]
    public void Dual_solution_on_MNIST_satisfies_the_KKT_conditions(LinearSvmLoss loss, bool shrinking)
    {
        // One digit against the rest on 1000 images, solved tightly: each αᵢ must sit in the box, and its partial
        // gradient Gᵢ = yᵢ·f(xᵢ) − 1 + Dᵢᵢαᵢ must vanish inside the box and point outwards at its bounds. The stopping
        // test saw each Gᵢ during the last pass, while w still moved, so the check allows a few times the tolerance.
        const double c = 0.5, tolerance = 1e-3, slack = 5 * tolerance;
        var data = Train.Take(1000);
        var samples = new SparsePixels(data.Pixels, data.Count);
        bool[] positive = data.Labels.Select(l => l == 3).ToArray();
        float[] w = new float[785];
        double[] alpha = new double[data.Count];

        var outcome = DualCoordinateDescent.Solve(samples, positive, c, loss, tolerance, 100000, shrinking, new Rng(2), w, alpha);

        Assert.True(outcome.Converged);
        double upper = loss == LinearSvmLoss.Hinge ? c : double.PositiveInfinity;
        double diagonal = loss == LinearSvmLoss.Hinge ? 0 : 1 / (2 * c);
        for (int i = 0; i < data.Count; i++)
        {
            double y = positive[i] ? 1 : -1;
            double g = y * (samples.Dot(i, w.AsSpan(0, 784)) + w[784]) - 1 + diagonal * alpha[i];
            Assert.InRange(alpha[i], 0, upper);
            if (alpha[i] == 0)
                Assert.True(g >= -slack, $"sample {i}: α = 0 but G = {g:g3} < 0");
            else if (alpha[i] == upper)
                Assert.True(g <= slack, $"sample {i}: α = C but G = {g:g3} > 0");
            else
                Assert.True(Math.Abs(g) <= slack, $"sample {i}: 0 < α < C but G = {g:g3}");
        }
    }

    [Fact]
    public void Default_fit_on_2000_images_classifies_unseen_digits_well()
    {
        double accuracy = Accuracy(Fitted.Value, Test);

        Assert.InRange(accuracy, 0.85, 1.0);
    }

    [Fact]
    public void Crammer_Singer_sub_problem_solution_is_feasible_and_beats_feasible_perturbations()
    {
        // min ½A·Σα² + B·α  subject to  α_m ≤ C·δ(m, y), Σα = 0.
        const double a = 1.7, c = 0.4;
        const int y = 2;
        double[] b = [0.3, -0.2, -0.9, 0.8, 0.1];
        double[] alpha = new double[5], sorted = new double[5];
        static double Objective(double[] al, double[] bv) => al.Sum(v => 0.5 * a * v * v) + al.Zip(bv, (u, v) => u * v).Sum();

        CrammerSingerSolver.SolveSubProblem(a, y, c, b, alpha, sorted);

        Assert.Equal(0, alpha.Sum(), 1e-12);
        for (int m = 0; m < 5; m++)
            Assert.True(alpha[m] <= (m == y ? c : 0) + 1e-12, $"α[{m}] = {alpha[m]} breaks its bound");
        double best = Objective(alpha, b);
        var rng = new Rng(4);
        for (int trial = 0; trial < 2000; trial++)
        {
            // Move mass ε from one coordinate to another; keep it only if it stays feasible.
            int from = rng.NextInt(5), to = rng.NextInt(5);
            double epsilon = 0.05 * rng.NextDouble();
            double[] moved = (double[])alpha.Clone();
            moved[from] -= epsilon;
            moved[to] += epsilon;
            if (moved[to] <= (to == y ? c : 0))
                Assert.True(Objective(moved, b) >= best - 1e-12, $"moving {epsilon:g3} from {from} to {to} lowers the objective");
        }
    }

    [Fact]
    public void One_vs_rest_fit_classifies_unseen_digits_well()
    {
        var model = new LinearSvmTrainer(new LinearSvmOptions { Multiclass = LinearSvmMulticlass.OneVsRest }).Fit(Train);

        Assert.Equal(LinearSvmLoss.SquaredHinge, model.Loss);
        Assert.InRange(Accuracy(model, Test), 0.85, 1.0);
    }

    [Fact]
    public void Crammer_Singer_model_round_trips_without_a_binary_loss()
    {
        using var folder = new TempFolder();
        var file = SaveAndLoad(Fitted.Value, folder, Train);

        var loaded = LinearSvm.FromModelFile(file);

        Assert.Equal(LinearSvmMulticlass.CrammerSinger, loaded.Multiclass);
        Assert.Null(loaded.Loss);
        Assert.DoesNotContain("loss", file.Metadata.Architecture);
        AssertBitIdentical(Predict(Fitted.Value, Test), Predict(loaded, Test));
    }

    [Fact]
    public void One_vs_rest_model_does_not_depend_on_the_thread_count()
    {
        var data = Train.Take(600);
        var one = new LinearSvmTrainer(new LinearSvmOptions { Multiclass = LinearSvmMulticlass.OneVsRest, Threads = 1, Seed = 3 }).Fit(data);
        var two = new LinearSvmTrainer(new LinearSvmOptions { Multiclass = LinearSvmMulticlass.OneVsRest, Threads = 2, Seed = 3 }).Fit(data);

        AssertBitIdentical(one.Weights.ToArray(), two.Weights.ToArray());
        AssertBitIdentical(one.Bias.ToArray(), two.Bias.ToArray());
    }

    [Fact]
    public void Probabilities_are_a_softmax_of_the_decision_values()
    {
        var images = Test.Take(20);
        float[] scores = new float[200];
        Fitted.Value.DecisionValues(images.Pixels, images.Count, scores);
        float[] p = Predict(Fitted.Value, images);

        for (int i = 0; i < images.Count; i++)
        {
            float[] expected = new float[10];
            System.Numerics.Tensors.TensorPrimitives.SoftMax(scores.AsSpan(i * 10, 10), expected);
            for (int j = 0; j < 10; j++)
                Assert.Equal(expected[j], p[i * 10 + j], 1e-6f);
        }
    }

    [Fact]
    public void Save_and_load_give_bit_identical_probabilities_and_keep_loss_and_deskew()
    {
        var options = new LinearSvmOptions { Multiclass = LinearSvmMulticlass.OneVsRest, Loss = LinearSvmLoss.Hinge, Deskew = true };
        var model = new LinearSvmTrainer(options).Fit(Train.Take(500));
        using var folder = new TempFolder();
        var file = SaveAndLoad(model, folder, Train);

        var loaded = LinearSvm.FromModelFile(file);

        Assert.Equal(ModelKind.LinearSvm, file.Metadata.Kind);
        Assert.Equal(LinearSvmLoss.Hinge, loaded.Loss);
        Assert.True(loaded.Preprocessing.Deskew);
        AssertBitIdentical(Predict(model, Test), Predict(loaded, Test));
    }

    [Theory]
    [InlineData("C", 0.0)]
    [InlineData("Tolerance", 0.0)]
    [InlineData("MaxPasses", 0.0)]
    [InlineData("Threads", -2.0)]
    public void Options_out_of_range_are_named_with_their_value(string option, double value)
    {
        var options = option switch
        {
            "C" => new LinearSvmOptions { C = value },
            "Tolerance" => new LinearSvmOptions { Tolerance = value },
            "MaxPasses" => new LinearSvmOptions { MaxPasses = (int)value },
            _ => new LinearSvmOptions { Threads = (int)value },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSvmTrainer(options));

        Assert.Equal(option, error.ParamName);
        Assert.Equal(value, Convert.ToDouble(error.ActualValue));
    }
}
