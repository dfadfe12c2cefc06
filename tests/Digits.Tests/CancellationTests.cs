using System.Diagnostics;
using Digits.Classical;
using Digits.Data;
using Digits.Evaluation;
using Digits.Tuning;
using Xunit.Abstractions;

namespace Digits.Tests;

/// <summary>
/// Every long library call stops soon after its token is cancelled: each test starts a call that takes seconds on
/// MNIST, cancels it after 200 ms and measures how long the call takes to throw after that. The bound is 2 s, far
/// above the few tenths of a second the checks allow, so a busy machine does not fail the tests.
/// </summary>
public class CancellationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private static LabeledImages AllTraining => TestData.Mnist.Train;

    [Fact]
    public void Softmax_regression_fit_on_60k_images_stops_promptly()
    {
        var trainer = new SoftmaxRegressionTrainer();
        var data = AllTraining;
        AssertPrompt("logreg fit", token => trainer.Fit(data, cancellationToken: token));
    }

    [Theory]
    [InlineData(LinearSvmMulticlass.CrammerSinger)]
    [InlineData(LinearSvmMulticlass.OneVsRest)]
    public void Linear_svm_fit_on_60k_images_stops_promptly(LinearSvmMulticlass multiclass)
    {
        var trainer = new LinearSvmTrainer(new LinearSvmOptions { Multiclass = multiclass, Tolerance = 1e-4 });
        var data = AllTraining;
        AssertPrompt($"linear svm {multiclass} fit", token => trainer.Fit(data, token));
    }

    [Fact]
    public void Kernel_svm_fit_stops_inside_a_pair_not_after_it()
    {
        // One thread and 20k images: the first pair alone takes seconds, so only a check inside SMO is prompt.
        var trainer = new KernelSvmTrainer(new KernelSvmOptions { Threads = 1 });
        var data = AllTraining.Take(20_000);
        AssertPrompt("kernel svm fit", token => trainer.Fit(data, token));
    }

    [Fact]
    public void Evaluating_a_kernel_svm_on_60k_images_stops_between_batches()
    {
        KernelSvm model = new KernelSvmTrainer(new KernelSvmOptions()).Fit(AllTraining.Take(1000));
        var data = AllTraining;
        AssertPrompt("kernel svm evaluate", token =>
            Evaluator.Evaluate(model, data.Pixels, data.Labels, data.Count, batchSize: 512, cancellationToken: token));
    }

    [Fact]
    public void Parameter_search_stops_inside_the_fits_it_runs()
    {
        var data = AllTraining.Take(30_000);
        var settings = ParameterGrid.Parse("C=0.1,1", ["C"]).Combinations();
        AssertPrompt("parameter search", token => ParameterSearch.Run(data, settings, folds: 3, seed: 1,
            (train, p, ct) => new SoftmaxRegressionTrainer(new SoftmaxRegressionOptions { C = p["C"] }).Fit(train, cancellationToken: ct),
            cancellationToken: token));
    }

    [Fact]
    public void Parameter_search_with_a_fit_that_ignores_the_token_stops_before_the_next_fold()
    {
        var data = AllTraining.Take(600);
        var settings = ParameterGrid.Parse("C=0.1,1", ["C"]).Combinations();
        using var cancel = new CancellationTokenSource();
        int fits = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => ParameterSearch.Run(data, settings, folds: 3, seed: 1, (train, p) =>
        {
            Interlocked.Increment(ref fits);
            cancel.Cancel();
            return new SoftmaxRegressionTrainer(new SoftmaxRegressionOptions { C = p["C"], MaxIterations = 5 }).Fit(train);
        }, parallelTrials: 1, cancellationToken: cancel.Token));
        Assert.Equal(1, fits);
    }

    [Fact]
    public void An_uncancelled_token_changes_no_result()
    {
        var train = AllTraining.Take(1000);
        var test = TestData.Mnist.Test.Take(300);
        using var live = new CancellationTokenSource();
        var token = live.Token;

        var logreg = new SoftmaxRegressionTrainer(new SoftmaxRegressionOptions { C = 0.1 });
        Assert.Equal(Predict(logreg.Fit(train), test), Predict(logreg.Fit(train, cancellationToken: token), test));
        foreach (var multiclass in new[] { LinearSvmMulticlass.CrammerSinger, LinearSvmMulticlass.OneVsRest })
        {
            var linear = new LinearSvmTrainer(new LinearSvmOptions { Multiclass = multiclass });
            Assert.Equal(Predict(linear.Fit(train), test), Predict(linear.Fit(train, token), test));
        }
        var kernel = new KernelSvmTrainer(new KernelSvmOptions { ProbabilityFolds = 3 });
        KernelSvm svm = kernel.Fit(train.Take(400));
        Assert.Equal(Predict(svm, test), Predict(kernel.Fit(train.Take(400), token), test));

        var plain = Evaluator.Evaluate(svm, test.Pixels, test.Labels, test.Count, batchSize: 128);
        var withToken = Evaluator.Evaluate(svm, test.Pixels, test.Labels, test.Count, batchSize: 128, cancellationToken: token);
        Assert.Equal(plain.Predicted, withToken.Predicted);
        Assert.Equal(plain.LogLoss, withToken.LogLoss);
    }

    private static float[] Predict(IClassifier model, LabeledImages data)
    {
        var probabilities = new float[data.Count * model.Labels.Count];
        model.Predict(data.Pixels, data.Count, probabilities);
        return probabilities;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a token cancelled after 200 ms by a dedicated thread and asserts that it throws
    /// <see cref="OperationCanceledException"/> within <see cref="Bound"/> of the cancel.
    /// </summary>
    private void AssertPrompt(string what, Action<CancellationToken> work)
    {
        using var cancel = new CancellationTokenSource();
        long cancelledAt = 0;
        using var registration = cancel.Token.Register(() => Volatile.Write(ref cancelledAt, Stopwatch.GetTimestamp()));
        // A dedicated thread, not CancelAfter: a timer callback needs a thread-pool thread, and with the other test
        // classes' parallel work on 2 cores the pool can be starved for seconds (CI once saw the whole 4 s search finish
        // before the timer fired).
        var canceller = new Thread(() =>
        {
            Thread.Sleep(200);
            cancel.Cancel();
        }) { IsBackground = true, Name = "test canceller" };
        canceller.Start();

        long thrownAt;
        try
        {
            Assert.ThrowsAny<OperationCanceledException>(() => work(cancel.Token));
            thrownAt = Stopwatch.GetTimestamp();
        }
        finally
        {
            canceller.Join(); // never let it cancel a disposed source
        }
        Assert.NotEqual(0, Volatile.Read(ref cancelledAt));
        TimeSpan latency = Stopwatch.GetElapsedTime(Volatile.Read(ref cancelledAt), thrownAt);
        output.WriteLine($"{what}: threw {latency.TotalMilliseconds:F0} ms after the cancel");
        Assert.True(latency < Bound, $"{what} threw {latency.TotalMilliseconds:F0} ms after the cancel");
    }
}
