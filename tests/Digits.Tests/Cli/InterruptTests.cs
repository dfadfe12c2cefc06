using System.Diagnostics;
using Digits.Classical;

namespace Digits.Tests.Cli;

/// <summary>Ctrl+C (SIGINT) during training: exit 130 after a clean stop, as the contract says.</summary>
public class InterruptTests
{
    [Fact]
    public void A_cancelled_kernel_svm_fit_stops_before_the_next_pair()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var data = TestData.Mnist.Train.Take(200);
        Assert.Throws<OperationCanceledException>(() => new KernelSvmTrainer(new KernelSvmOptions()).Fit(data, cancelled.Token));
    }

    /// <summary>What a run that got SIGINT did: its exit code, streams, and the seconds from the signal to its exit.</summary>
    private sealed record Interrupted(int ExitCode, string Stdout, string Stderr, double SecondsToExit);

    /// <summary>
    /// Starts <c>digits ARGS --verbose</c>, waits for a stderr line starting with <paramref name="marker"/> (the work has
    /// begun, however slow the machine is at starting up), waits <paramref name="delay"/> more, sends SIGINT and waits.
    /// </summary>
    private static async Task<Interrupted> RunAndInterrupt(string[] args, string marker, TimeSpan delay)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "digits.dll"));
        foreach (string a in args.Append("--verbose"))
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var started = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lines.Enqueue(e.Data);
            if (e.Data.StartsWith(marker, StringComparison.Ordinal))
                started.TrySetResult();
        };
        process.BeginErrorReadLine();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(delay);
        Assert.False(process.HasExited, "the work finished before the signal; the test needs a longer run: " + string.Join('\n', lines));
        long signalled = Stopwatch.GetTimestamp();
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        double seconds = Stopwatch.GetElapsedTime(signalled).TotalSeconds;
        process.WaitForExit();
        return new Interrupted(process.ExitCode, await stdout, string.Join('\n', lines), seconds);
    }

    /// <summary>Generous for a busy two-core machine: the point is that the work stops rather than running to its end
    /// (the measured latencies are in docs/reliability.md).</summary>
    private const double PromptSeconds = 5;

    [Fact]
    public async Task Sigint_stops_a_logreg_fit_promptly_with_exit_130_and_interrupted_true()
    {
        using var tmp = new TempFolder();
        var r = await RunAndInterrupt(["train", "logreg", "--data", TestData.MnistDirectory, "--out", tmp.File("m.safetensors"), "--json"], "training ", TimeSpan.FromMilliseconds(300));
        Assert.Equal(130, r.ExitCode);
        Assert.InRange(r.SecondsToExit, 0, PromptSeconds);
        using var json = System.Text.Json.JsonDocument.Parse(r.Stdout);
        Assert.True(json.RootElement.GetProperty("interrupted").GetBoolean());
        Assert.False(File.Exists(tmp.File("m.safetensors")));
    }

    [Fact]
    public async Task Sigint_stops_an_evaluation_promptly_with_exit_130_and_interrupted_true()
    {
        using var tmp = new TempFolder();
        string model = tmp.File("svm.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "svm", "--data", TestData.MnistDirectory, "--subset", "4000", "--out", model).ExitCode);
        // Sixty thousand test images (the training files in the test files' place) make an evaluation of a few seconds.
        using var folder = new TempFolder();
        foreach (string f in Directory.GetFiles(TestData.MnistDirectory, "train-*ubyte*"))
        {
            string name = Path.GetFileName(f);
            File.CreateSymbolicLink(folder.File(name), f);
            File.CreateSymbolicLink(folder.File(name.Replace("train-", "t10k-", StringComparison.Ordinal)), f);
        }
        var r = await RunAndInterrupt(["evaluate", model, "--data", folder.Path, "--json"], "evaluating ", TimeSpan.FromMilliseconds(200));
        Assert.Equal(130, r.ExitCode);
        Assert.InRange(r.SecondsToExit, 0, PromptSeconds);
        using var json = System.Text.Json.JsonDocument.Parse(r.Stdout);
        Assert.True(json.RootElement.GetProperty("interrupted").GetBoolean());
    }

    [Fact]
    public async Task Sigint_during_cnn_training_prints_stopped_after_rather_than_trained_in()
    {
        using var tmp = new TempFolder();
        var r = await RunAndInterrupt(["train", "cnn-fast", "--data", TestData.MnistDirectory, "--subset", "20000", "--epochs", "50", "--threads", "1", "--out", tmp.File("m.safetensors")],
            "training ", TimeSpan.FromMilliseconds(500));
        Assert.Equal(130, r.ExitCode);
        Assert.Contains("cnn-fast: stopped after 0 epochs", r.Stdout);
        Assert.DoesNotContain("trained in", r.Stdout);
        Assert.True(File.Exists(tmp.File("m.interrupted.safetensors")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sigint_stops_training_and_exits_130(bool cnn)
    {
        using var tmp = new TempFolder();
        string model = tmp.File("m.safetensors");
        // A good model from an earlier run: an interrupted run must never replace it.
        File.WriteAllText(model, "an earlier, finished model");
        string[] args = cnn
            ? ["train", "cnn-fast", "--subset", "20000", "--epochs", "50", "--threads", "1"]
            : ["train", "svm", "--subset", "30000", "--threads", "1"];
        var r = await RunAndInterrupt([.. args, "--data", TestData.MnistDirectory, "--out", model, "--json"], "training ", TimeSpan.FromSeconds(1));
        string output = r.Stdout, errors = r.Stderr;
        Assert.Equal(130, r.ExitCode);
        Assert.Contains("stopping at the next safe point", errors);
        Assert.DoesNotContain("   at ", errors);
        Assert.Equal("an earlier, finished model", File.ReadAllText(model));
        string kept = tmp.File("m.interrupted.safetensors");
        if (cnn)
        {
            // The CNN keeps the best epoch so far (or the weights as they are, before the first epoch ends) beside --out.
            Assert.True(File.Exists(kept), errors);
            using var json = System.Text.Json.JsonDocument.Parse(output);
            Assert.True(json.RootElement.GetProperty("interrupted").GetBoolean());
            Assert.Equal(kept, json.RootElement.GetProperty("model").GetString());
            Assert.Contains("the best model so far", errors);
        }
        else
        {
            Assert.False(File.Exists(kept));
            Assert.Contains("error: interrupted", errors);
            using var json = System.Text.Json.JsonDocument.Parse(output);
            Assert.True(json.RootElement.GetProperty("interrupted").GetBoolean());
        }
    }

    [Fact]
    public async Task Sigint_during_a_report_keeps_the_finished_stages_marked_interrupted_with_exit_130()
    {
        using var tmp = new TempFolder();
        // At a third of the sizes the SVM's search takes seconds, and cnn-fast is still to come when the signal arrives.
        var r = await RunAndInterrupt(["report", "--data", TestData.MnistDirectory, "--out", tmp.Path, "--scale", "0.3", "--json"],
            "stage 2/4 svm-tuning", TimeSpan.FromMilliseconds(300));
        Assert.Equal(130, r.ExitCode);
        Assert.InRange(r.SecondsToExit, 0, PromptSeconds);
        using var printed = System.Text.Json.JsonDocument.Parse(r.Stdout);
        using var file = System.Text.Json.JsonDocument.Parse(File.ReadAllText(tmp.File("results.json")));
        foreach (var json in new[] { printed.RootElement, file.RootElement })
        {
            Assert.True(json.GetProperty("interrupted").GetBoolean());
            Assert.Equal("logreg", json.GetProperty("models")[0].GetProperty("name").GetString());
            Assert.Contains("cnn-fast", json.GetProperty("not_run").EnumerateArray().Select(n => n.GetString()));
        }
        Assert.True(File.Exists(tmp.File("confusion-logreg.png")));
        Assert.True(File.Exists(tmp.File("model-comparison.png")));
        Assert.Contains("**Interrupted**", File.ReadAllText(tmp.File("results.md")));
    }
}
