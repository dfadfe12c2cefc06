using Digits.Data;

namespace Digits.Tests;

/// <summary>
/// Finds the real MNIST files for the few tests that need them: DIGITS_DATA (CI sets it), else ../shared/data/mnist
/// beside the repository. Missing data fails the test with a clear message rather than skipping it silently.
/// </summary>
internal static class TestData
{
    private static readonly Lazy<string> MnistFolder = new(Locate);
    private static readonly Lazy<LoadedDataset> Loaded = new(() => DatasetStore.Load(
        new DatasetStore(new DatasetStoreOptions { DataDirectory = MnistDirectory, AllowDownload = false }).TryLocate(DatasetCatalog.Mnist)!));

    public static string MnistDirectory => MnistFolder.Value;

    /// <summary>MNIST loaded once per test run (about 55 MB of bytes).</summary>
    public static LoadedDataset Mnist => Loaded.Value;

    /// <summary>The repository root (the folder with Digits.slnx).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Digits.slnx")))
                    return dir.FullName;
            }
            throw new InvalidOperationException("cannot find the repository root (Digits.slnx) above " + AppContext.BaseDirectory);
        }
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("DIGITS_DATA") is { Length: > 0 } env && Directory.Exists(env))
            return env;
        string beside = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "mnist"));
        if (Directory.Exists(beside))
            return beside;
        throw new InvalidOperationException("MNIST not found: set DIGITS_DATA to a folder with the four IDX files");
    }
}

/// <summary>A temp folder deleted after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "digits-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
