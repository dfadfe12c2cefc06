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
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "digits.dll"));
        foreach (string a in args.Concat(["--data", TestData.MnistDirectory, "--out", model, "--json", "--verbose"]))
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
            if (e.Data.StartsWith("training ", StringComparison.Ordinal))
                started.TrySetResult();
        };
        process.BeginErrorReadLine();
        // Signal once the data is loaded and training has begun, however slow the machine is at starting up.
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(1000);
        Assert.False(process.HasExited, "training finished before the signal; the test needs a longer run");
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        process.WaitForExit();
        string output = await stdout, errors = string.Join('\n', lines);
        Assert.Equal(130, process.ExitCode);
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
}
