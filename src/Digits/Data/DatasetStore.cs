namespace Digits.Data;

/// <summary>Where to look for data; every field has a sensible default.</summary>
public sealed record DatasetStoreOptions
{
    /// <summary>A folder named on the command line (<c>--data DIR</c>); looked at first.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The folder from the <c>DIGITS_DATA</c> environment variable; looked at second.</summary>
    public string? EnvironmentDirectory { get; init; } = Environment.GetEnvironmentVariable("DIGITS_DATA") is { Length: > 0 } env ? env : null;

    /// <summary>The cache root; each dataset gets a subfolder. Looked at third, and downloads go there.</summary>
    public string CacheRoot { get; init; } = DatasetStore.DefaultCacheRoot();

    /// <summary>
    /// Download mirrors to use instead of the catalog's: by default from <c>DIGITS_MIRRORS</c> (base URLs separated
    /// by commas or spaces), for a company mirror or proxy. Tests point this at a local server.
    /// </summary>
    public IReadOnlyList<Uri>? Mirrors { get; init; } = DatasetStore.MirrorsFromEnvironment();

    /// <summary>When false, a dataset that is not on disk is an error rather than a download.</summary>
    public bool AllowDownload { get; init; } = true;
}

/// <summary>
/// Finds a dataset's files: <c>--data DIR</c>, then <c>DIGITS_DATA</c>, then the cache folder, and only then downloads
/// into the cache (each file checked against its SHA-256 before it is renamed into place). A folder the user named
/// explicitly must hold the data: we never silently download instead of using it.
/// </summary>
public sealed class DatasetStore
{
    private readonly DatasetStoreOptions options;
    private readonly HttpClient? http;

    public DatasetStore(DatasetStoreOptions? options = null, HttpClient? http = null)
    {
        this.options = options ?? new DatasetStoreOptions();
        this.http = http;
    }

    /// <summary><c>$XDG_CACHE_HOME/digits</c>, else <c>~/.cache/digits</c>.</summary>
    public static string DefaultCacheRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "digits");
    }

    /// <summary>Parses <c>DIGITS_MIRRORS</c>; null when unset. Each entry must be an absolute http(s) URL.</summary>
    public static IReadOnlyList<Uri>? MirrorsFromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable("DIGITS_MIRRORS");
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var mirrors = new List<Uri>();
        foreach (string part in value.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            string text = part.EndsWith('/') ? part : part + "/";
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new DigitsException("DIGITS_MIRRORS", $"'{part}' is not an absolute http(s) URL");
            mirrors.Add(uri);
        }
        return mirrors;
    }

    /// <summary>The cache folder of one dataset.</summary>
    public string CacheDirectory(DatasetDefinition dataset) => Path.Combine(options.CacheRoot, dataset.Name);

    /// <summary>Finds the dataset on disk without downloading; null only when nothing was named and the cache lacks it.</summary>
    public ResolvedDataset? TryLocate(DatasetDefinition dataset)
    {
        if (options.DataDirectory is { } arg)
            return Require(dataset, DataSource.Arg, arg, "--data");
        if (options.EnvironmentDirectory is { } env)
            return Require(dataset, DataSource.Env, env, "DIGITS_DATA");
        string cache = CacheDirectory(dataset);
        return FindAll(dataset, cache, out var paths, out _) ? new ResolvedDataset(dataset, DataSource.Cache, Path.GetFullPath(cache), paths) : null;
    }

    /// <summary>Finds the dataset, downloading the missing files into the cache when allowed.</summary>
    public async Task<ResolvedDataset> ResolveAsync(DatasetDefinition dataset, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (TryLocate(dataset) is { } found)
            return found;
        string cache = CacheDirectory(dataset);
        FindAll(dataset, cache, out _, out var missing);
        if (!options.AllowDownload)
            throw new DigitsException(dataset.Name, $"not found in {cache} and downloads are off; pass --data DIR or set DIGITS_DATA to a folder with {string.Join(", ", missing.Select(m => m.FileName))}");

        Directory.CreateDirectory(cache);
        var mirrors = options.Mirrors ?? dataset.Mirrors;
        using var ownedHttp = http is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(10) } : null;
        var downloader = new FileDownloader(http ?? ownedHttp!);
        foreach (var file in missing)
        {
            string name = file.FileName + ".gz";
            await downloader.DownloadAsync(name, mirrors, Path.Combine(cache, name), new ExpectedContent(file.Sha256, true, file.DecompressedLength), progress, cancellationToken).ConfigureAwait(false);
        }
        if (!FindAll(dataset, cache, out var paths, out missing))
            throw new DigitsException(cache, $"still missing {string.Join(", ", missing.Select(m => m.FileName))} after download");
        return new ResolvedDataset(dataset, DataSource.Download, Path.GetFullPath(cache), paths);
    }

    /// <summary>Resolves (downloading if needed) and loads both halves into memory.</summary>
    public async Task<LoadedDataset> LoadAsync(DatasetDefinition dataset, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
        => Load(await ResolveAsync(dataset, progress, cancellationToken).ConfigureAwait(false));

    /// <summary>Reads the four IDX files of a located dataset and checks that they fit together.</summary>
    public static LoadedDataset Load(ResolvedDataset location)
    {
        var d = location.Dataset;
        LabeledImages Half(DatasetFile images, DatasetFile labels)
        {
            string ip = location.Paths[images], lp = location.Paths[labels];
            var labelArray = IdxReader.Read(lp, 1);
            if (labels == d.TrainLabels)
                CheckIdentity(d, labelArray, lp);
            return LabeledImages.FromIdx(IdxReader.Read(ip, 3), Path.GetFileName(ip), labelArray, Path.GetFileName(lp), d.Labels.Count);
        }
        return new LoadedDataset(location, Half(d.TrainImages, d.TrainLabels), Half(d.TestImages, d.TestLabels));
    }

    /// <summary>
    /// Datasets in this family share file names, so a folder of one passes for another. The training labels are small
    /// and differ between sets, so their checksum tells cheaply whether the folder holds the dataset asked for.
    /// </summary>
    private static void CheckIdentity(DatasetDefinition dataset, IdxArray trainLabels, string path)
    {
        string actual = ContentHash.Sha256OfIdx(trainLabels);
        if (!string.Equals(actual, dataset.TrainLabels.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new DigitsException(path, $"is not {dataset.Name}'s training labels (SHA-256 {actual[..12]}…, expected {dataset.TrainLabels.Sha256[..12]}…); " +
                "does --data or DIGITS_DATA point at another dataset?");
        }
    }

    /// <summary>Checks each file's decompressed SHA-256 against the catalog.</summary>
    public static IReadOnlyList<FileCheck> Verify(ResolvedDataset location)
    {
        var results = new List<FileCheck>();
        foreach (var file in location.Dataset.Files)
        {
            string path = location.Paths[file];
            string actual = ContentHash.Sha256OfFile(path, gunzip: path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase));
            results.Add(new FileCheck(file, path, actual, string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase)));
        }
        return results;
    }

    private static ResolvedDataset Require(DatasetDefinition dataset, DataSource source, string directory, string origin)
    {
        // A folder named wrongly is a usage mistake (exit 2); one that is missing or incomplete is an error (exit 1).
        if (directory.Length == 0)
            throw new InvalidOptionException(origin, "is empty, expected a folder with the dataset's IDX files");
        if (File.Exists(directory))
            throw new InvalidOptionException(origin, $"{directory} is a file, expected a folder");
        if (!Directory.Exists(directory))
            throw new DigitsException(origin, $"folder {directory} does not exist");
        if (!FindAll(dataset, directory, out var paths, out var missing))
            throw new DigitsException(origin, $"{directory} lacks {string.Join(", ", missing.Select(m => m.FileName))} (raw or .gz)");
        return new ResolvedDataset(dataset, source, Path.GetFullPath(directory), paths);
    }

    private static bool FindAll(DatasetDefinition dataset, string directory, out Dictionary<DatasetFile, string> paths, out List<DatasetFile> missing)
    {
        paths = [];
        missing = [];
        foreach (var file in dataset.Files)
        {
            string raw = Path.Combine(directory, file.FileName);
            string gz = raw + ".gz";
            if (File.Exists(raw))
                paths[file] = Path.GetFullPath(raw);
            else if (File.Exists(gz))
                paths[file] = Path.GetFullPath(gz);
            else
                missing.Add(file);
        }
        return missing.Count == 0;
    }
}

/// <summary>The result of checking one file: the SHA-256 found and whether it matches the catalog.</summary>
public sealed record FileCheck(DatasetFile File, string Path, string ActualSha256, bool Matches);
