namespace Digits.Data;

/// <summary>Where a dataset was found, in the order <see cref="DatasetStore"/> looks.</summary>
public enum DataSource
{
    /// <summary>The folder given with <c>--data DIR</c>.</summary>
    Arg,

    /// <summary>The folder in the <c>DIGITS_DATA</c> environment variable.</summary>
    Env,

    /// <summary>The per-user cache folder, from an earlier download.</summary>
    Cache,

    /// <summary>Downloaded into the cache folder just now.</summary>
    Download,
}

/// <summary>A dataset located on disk: which folder, how it was found, and the path of each file (raw or .gz).</summary>
public sealed record ResolvedDataset(DatasetDefinition Dataset, DataSource Source, string Directory, IReadOnlyDictionary<DatasetFile, string> Paths)
{
    /// <summary>The lowercase name used in JSON (<c>arg</c>, <c>env</c>, <c>cache</c>, <c>download</c>).</summary>
    public string SourceName => Source.ToString().ToLowerInvariant();
}
