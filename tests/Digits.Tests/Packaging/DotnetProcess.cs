using System.Diagnostics;

namespace Digits.Tests.Packaging;

/// <summary>
/// Runs <c>dotnet</c> (or an installed tool) as a child process and captures its streams. MSBuild node reuse and the
/// build servers are off: a node left running would hold the redirected pipes open after the build ends.
/// </summary>
internal static class DotnetProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static Result Run(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunProgram("dotnet", workingDirectory, timeout, args);

    public static Result RunProgram(string program, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";

        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout) || !Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} took over {timeout.TotalSeconds:0} s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
