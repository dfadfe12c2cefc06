using System.Reflection;

namespace Digits.Tests.Packaging;

/// <summary>
/// Runs the package tests one at a time and after every other test class: each starts dotnet builds that would
/// otherwise compete for the cores with the timed tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "Packaging";
}

/// <summary>
/// <c>Digits</c> and <c>Digits.Tool</c> packed once into a local folder feed, from the build the tests run from
/// (<c>--no-build</c>, in the test assembly's configuration). The version is unique to this run, so no package cache
/// can answer with an older build of the same version; the publish folder and nuspecs go to the temp folder too, so
/// packing writes nothing into the repository.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    private readonly TempFolder folder = new();

    public PackedFeed()
    {
        Version = "0.1.0-pkgtest." + Guid.NewGuid().ToString("N")[..12];
        Feed = folder.File("feed");
        foreach (string project in new[] { "src/Digits/Digits.csproj", "src/Digits.Cli/Digits.Cli.csproj" })
        {
            var r = DotnetProcess.Run(TestData.RepoRoot, TimeSpan.FromSeconds(120),
                "pack", project, "-c", Configuration, "--no-build", "-o", Feed,
                "-p:PackageVersion=" + Version,
                "-p:PublishDir=" + folder.File("publish") + "/",
                "-p:NuspecOutputPath=" + folder.File("nuspec") + "/");
            if (r.ExitCode != 0)
                throw new InvalidOperationException($"dotnet pack {project} failed ({r.ExitCode}):\n{r.Stdout}\n{r.Stderr}");
        }
    }

    /// <summary>Release or Debug: the configuration the test assembly, and so the projects it references, was built in.</summary>
    public static string Configuration =>
        typeof(PackedFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The version both packages carry, for example <c>0.1.0-pkgtest.3f2a…</c>.</summary>
    public string Version { get; }

    /// <summary>The local folder feed that holds the two .nupkg files.</summary>
    public string Feed { get; }

    public string LibraryPackage => Path.Combine(Feed, $"Digits.{Version}.nupkg");

    public string ToolPackage => Path.Combine(Feed, $"Digits.Tool.{Version}.nupkg");

    /// <summary>The tool's linux-x64 package, which <see cref="ToolPackage"/> points <c>dotnet tool install</c> to.</summary>
    public string ToolLinuxPackage => Path.Combine(Feed, $"Digits.Tool.linux-x64.{Version}.nupkg");

    public void Dispose() => folder.Dispose();
}
