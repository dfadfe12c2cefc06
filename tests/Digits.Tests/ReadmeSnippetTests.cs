using System.Diagnostics;

namespace Digits.Tests;

/// <summary>
/// README.md's C# example is tests/ReadmeSnippet/Program.cs, a program the build compiles against the library: this
/// test checks that README shows that file verbatim and that the program runs from the repository root and reads
/// the samples it names.
/// </summary>
public class ReadmeSnippetTests
{
    private static string ProgramText() =>
        File.ReadAllText(Path.Combine(TestData.RepoRoot, "tests", "ReadmeSnippet", "Program.cs")).ReplaceLineEndings("\n");

    [Fact]
    public void Readme_shows_the_compiled_program_verbatim()
    {
        string readme = File.ReadAllText(Path.Combine(TestData.RepoRoot, "README.md")).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + ProgramText() + "```\n", readme);
    }

    [Fact]
    public async Task The_readme_program_reads_the_samples_it_names()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestData.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ReadmeSnippet.dll"));
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        AssertPrintsWhatReadmeShows(await stdout);
    }

    /// <summary>The output README shows below the example, by its shape: photo-3 is a 3, canvas-5 a 5, the blank page
    /// no digit. The package tests run the same program against the packed library.</summary>
    internal static void AssertPrintsWhatReadmeShows(string stdout)
    {
        string[] lines = stdout.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("ok: 3, confidence ", lines[0]);
        Assert.StartsWith("  3: ", lines[1]);
        Assert.Equal("ok: 5", lines[4]);
        Assert.StartsWith("no-digit: no digit found", lines[5]);
    }
}
