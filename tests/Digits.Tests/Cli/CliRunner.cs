using System.Diagnostics;
using System.Text.Json;

namespace Digits.Tests.Cli;

/// <summary>Runs the real <c>digits</c> CLI as a child process, as a script would, and captures its streams and exit code.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json()
        {
            using var doc = JsonDocument.Parse(Stdout);
            return doc.RootElement.Clone();
        }
    }

    public static Result Run(params string[] args) => Run(null, args);

    public static Result Run(IDictionary<string, string?>? environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "digits.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                if (v is null)
                    psi.Environment.Remove(k);
                else
                    psi.Environment[k] = v;
            }
        }
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("digits " + string.Join(' ', args) + " took over 60 s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
