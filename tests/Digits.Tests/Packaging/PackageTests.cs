using System.IO.Compression;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text.Json;

namespace Digits.Tests.Packaging;

/// <summary>
/// The packages as a user meets them: the library package's content, the tool installed from a local folder feed
/// and run, and a new console app restored from that feed that runs README's C# example.
/// </summary>
[Collection(PackagingCollection.Name)]
public class PackageTests(PackedFeed feed)
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(120);

    private static string ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException(name + " is not in the package");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    [Fact]
    public void Library_package_is_under_5_MB_with_its_readme_and_the_bundled_model_inside_Digits_Core()
    {
        long bytes = new FileInfo(feed.LibraryPackage).Length;
        Assert.True(bytes < 5_000_000, $"Digits nupkg is {bytes:N0} bytes");

        using var zip = ZipFile.OpenRead(feed.LibraryPackage);
        string nuspec = ReadEntry(zip, "Digits.nuspec");
        Assert.Contains("<readme>README.md</readme>", nuspec);
        Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
        Assert.Contains("DigitModel.LoadDefault()", ReadEntry(zip, "README.md"));

        using var dll = new MemoryStream();
        using (var s = zip.GetEntry("lib/net10.0/Digits.Core.dll")!.Open())
            s.CopyTo(dll);
        dll.Position = 0;
        var context = new AssemblyLoadContext("packed-digits-core", isCollectible: true);
        try
        {
            using var model = context.LoadFromStream(dll).GetManifestResourceStream("Digits.models.digits-cnn.safetensors");
            Assert.NotNull(model);
            byte[] committed = File.ReadAllBytes(Path.Combine(TestData.RepoRoot, "models", "digits-cnn.safetensors"));
            Assert.Equal(SHA256.HashData(committed), SHA256.HashData(model));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Tool_installed_from_the_feed_reads_a_sample()
    {
        // Digits.Tool only names the package for each runtime; the linux-x64 one holds the ReadyToRun build.
        using (var zip = ZipFile.OpenRead(feed.ToolPackage))
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        using (var zip = ZipFile.OpenRead(feed.ToolLinuxPackage))
        {
            Assert.NotNull(zip.GetEntry("tools/net10.0/linux-x64/libSkiaSharp.so"));
            Assert.NotNull(zip.GetEntry("tools/net10.0/linux-x64/Digits.Core.dll"));
            Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("/runtimes/", StringComparison.Ordinal));
        }
        using var tools = new TempFolder();

        var install = DotnetProcess.Run(tools.Path, Slow, "tool", "install", "Digits.Tool",
            "--tool-path", tools.Path, "--add-source", feed.Feed, "--version", feed.Version);
        Assert.True(install.ExitCode == 0, install.ToString());

        string digits = tools.File(OperatingSystem.IsWindows() ? "digits.exe" : "digits");
        var predict = DotnetProcess.RunProgram(digits, TestData.RepoRoot, Slow, "predict", "samples/canvas-5.png", "--json");

        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var json = JsonDocument.Parse(predict.Stdout);
        Assert.Equal(5, json.RootElement.GetProperty("digit").GetInt32());
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void App_restored_from_the_feed_runs_the_readme_example()
    {
        using var work = new TempFolder();
        // A packages folder of its own, so Digits comes from the feed; the machine's global folder as a read-only
        // fallback, so SkiaSharp and the rest restore offline without being copied again.
        var locals = DotnetProcess.Run(work.Path, Slow, "nuget", "locals", "global-packages", "--list");
        Assert.True(locals.ExitCode == 0, locals.ToString());
        string globalPackages = locals.Stdout.Trim()["global-packages:".Length..].Trim();
        string packages = work.File("packages");

        // Empty props files stop MSBuild from looking further up for the repository's (or anyone's) settings.
        File.WriteAllText(work.File("Directory.Build.props"), "<Project />\n");
        File.WriteAllText(work.File("Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(work.File("nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="digits-feed" value="{feed.Feed}" />
              </packageSources>
            </configuration>
            """);
        Directory.CreateDirectory(work.File("app"));
        File.WriteAllText(work.File("app/ReadmeApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <InvariantGlobalization>true</InvariantGlobalization>
                <RestorePackagesPath>{packages}</RestorePackagesPath>
                <RestoreFallbackFolders>{globalPackages}</RestoreFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Digits" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(TestData.RepoRoot, "tests", "ReadmeSnippet", "Program.cs"), work.File("app/Program.cs"));

        var build = DotnetProcess.Run(work.Path, Slow, "build", "app/ReadmeApp.csproj", "-c", "Release",
            "--disable-build-servers", "-p:UseSharedCompilation=false");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(Path.Combine(packages, "digits", feed.Version, $"digits.{feed.Version}.nupkg")),
            "Digits was not restored from the feed into " + packages);

        var run = DotnetProcess.Run(TestData.RepoRoot, Slow, work.File("app/bin/Release/net10.0/ReadmeApp.dll"));
        Assert.True(run.ExitCode == 0, run.ToString());
        ReadmeSnippetTests.AssertPrintsWhatReadmeShows(run.Stdout);
    }
}
