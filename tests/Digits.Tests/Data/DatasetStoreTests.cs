using Digits.Data;

namespace Digits.Tests.Data;

public class DatasetStoreTests
{
    /// <summary>Writes a tiny fake dataset's four files (any content; the store only needs them present).</summary>
    private static void WriteFiles(string dir, DatasetDefinition d)
    {
        foreach (var f in d.Files)
            File.WriteAllBytes(Path.Combine(dir, f.FileName + ".gz"), [1]);
    }

    [Fact]
    public void Data_argument_wins_over_environment_and_cache()
    {
        using var arg = new TempFolder();
        using var env = new TempFolder();
        using var cache = new TempFolder();
        WriteFiles(arg.Path, DatasetCatalog.Mnist);
        WriteFiles(env.Path, DatasetCatalog.Mnist);
        var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = arg.Path, EnvironmentDirectory = env.Path, CacheRoot = cache.Path });
        var found = store.TryLocate(DatasetCatalog.Mnist)!;
        Assert.Equal(DataSource.Arg, found.Source);
        Assert.Equal(Path.GetFullPath(arg.Path), found.Directory);
    }

    [Fact]
    public void Environment_is_used_when_no_argument_is_given()
    {
        using var env = new TempFolder();
        using var cache = new TempFolder();
        WriteFiles(env.Path, DatasetCatalog.Mnist);
        var found = new DatasetStore(new DatasetStoreOptions { EnvironmentDirectory = env.Path, CacheRoot = cache.Path }).TryLocate(DatasetCatalog.Mnist)!;
        Assert.Equal(DataSource.Env, found.Source);
        Assert.EndsWith("train-images-idx3-ubyte.gz", found.Paths[DatasetCatalog.Mnist.TrainImages]);
    }

    [Fact]
    public void Cache_is_used_last_and_raw_files_are_accepted()
    {
        using var cache = new TempFolder();
        string dir = Path.Combine(cache.Path, "mnist");
        Directory.CreateDirectory(dir);
        foreach (var f in DatasetCatalog.Mnist.Files)
            File.WriteAllBytes(Path.Combine(dir, f.FileName), [1]);
        var found = new DatasetStore(new DatasetStoreOptions { EnvironmentDirectory = null, CacheRoot = cache.Path }).TryLocate(DatasetCatalog.Mnist)!;
        Assert.Equal(DataSource.Cache, found.Source);
        Assert.EndsWith("t10k-labels-idx1-ubyte", found.Paths[DatasetCatalog.Mnist.TestLabels]);
    }

    [Fact]
    public void A_named_folder_without_the_files_is_an_error_not_a_download()
    {
        using var arg = new TempFolder();
        File.WriteAllBytes(Path.Combine(arg.Path, "train-images-idx3-ubyte.gz"), [1]);
        var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = arg.Path });
        var e = Assert.Throws<DigitsException>(() => store.TryLocate(DatasetCatalog.Mnist));
        Assert.Equal("--data", e.Subject);
        Assert.Contains("lacks train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte", e.Problem);
    }

    [Fact]
    public void A_named_file_or_empty_name_is_refused_as_not_a_folder()
    {
        using var tmp = new TempFolder();
        string file = tmp.File("x.txt");
        File.WriteAllText(file, "not a folder");
        DigitsException e = Assert.Throws<InvalidOptionException>(() => new DatasetStore(new DatasetStoreOptions { DataDirectory = file }).TryLocate(DatasetCatalog.Mnist));
        Assert.Equal("--data", e.Subject);
        Assert.Equal($"{file} is a file, expected a folder", e.Problem);

        e = Assert.Throws<InvalidOptionException>(() => new DatasetStore(new DatasetStoreOptions { DataDirectory = "" }).TryLocate(DatasetCatalog.Mnist));
        Assert.Equal("--data", e.Subject);
        Assert.StartsWith("is empty", e.Problem);
    }

    [Fact]
    public async Task Missing_data_with_downloads_off_says_how_to_use_data()
    {
        using var cache = new TempFolder();
        var store = new DatasetStore(new DatasetStoreOptions { EnvironmentDirectory = null, CacheRoot = cache.Path, AllowDownload = false });
        var e = await Assert.ThrowsAsync<DigitsException>(() => store.ResolveAsync(DatasetCatalog.Mnist));
        Assert.Contains("--data DIR", e.Message);
    }

    [Fact]
    public void Real_mnist_loads_with_the_published_counts_and_checksums()
    {
        var mnist = TestData.Mnist;
        Assert.Equal(60000, mnist.Train.Count);
        Assert.Equal(10000, mnist.Test.Count);
        Assert.Equal(28, mnist.Train.Rows);
        Assert.Equal(5923, mnist.Train.ClassCounts()[0]);
        Assert.All(DatasetStore.Verify(mnist.Location), c => Assert.True(c.Matches, c.Path));
    }
}

public class DatasetStoreDownloadTests
{
    /// <summary>A tiny dataset (12 train, 5 test images of 3×2) whose files a local server serves gzipped.</summary>
    private static (DatasetDefinition Definition, Dictionary<string, byte[]> Served) TinyDataset()
    {
        var served = new Dictionary<string, byte[]>();
        DatasetFile Make(string name, IdxArray array)
        {
            var ms = new MemoryStream();
            IdxWriter.Write(ms, array);
            byte[] raw = ms.ToArray();
            served["/" + name + ".gz"] = SampleIdxFile.Gzip(raw);
            return new DatasetFile(name, raw.Length, SampleIdxFile.Sha256(raw));
        }
        var rng = new Rng(4);
        IdxArray Images(int n)
        {
            var px = new byte[n * 6];
            for (int i = 0; i < px.Length; i++)
                px[i] = (byte)rng.NextInt(256);
            return new IdxArray([n, 3, 2], px);
        }
        IdxArray Labels(int n) => new([n], Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray());
        var def = new DatasetDefinition("tiny",
            Make("train-images-idx3-ubyte", Images(12)), Make("train-labels-idx1-ubyte", Labels(12)),
            Make("t10k-images-idx3-ubyte", Images(5)), Make("t10k-labels-idx1-ubyte", Labels(5)),
            [], ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        return (def, served);
    }

    [Fact]
    public async Task Missing_data_is_downloaded_into_the_cache_verified_and_loadable()
    {
        var (def, served) = TinyDataset();
        using var broken = new LocalHttpServer(_ => LocalHttpResponse.NotFound());
        using var good = new LocalHttpServer(path => served.TryGetValue(path, out var body) ? LocalHttpResponse.Ok(body) : LocalHttpResponse.NotFound());
        using var cache = new TempFolder();
        var store = new DatasetStore(new DatasetStoreOptions { EnvironmentDirectory = null, CacheRoot = cache.Path, Mirrors = [broken.BaseUri, good.BaseUri] });
        var reports = new List<DownloadProgress>();
        var location = await store.ResolveAsync(def, new InlineProgress(reports.Add));

        Assert.Equal(DataSource.Download, location.Source);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(cache.Path, "tiny")).Length);
        Assert.Contains(reports, r => r.FileName == "t10k-labels-idx1-ubyte.gz");
        var loaded = DatasetStore.Load(location);
        Assert.Equal(12, loaded.Train.Count);
        Assert.Equal(5, loaded.Test.Count);
        Assert.All(DatasetStore.Verify(location), c => Assert.True(c.Matches));

        var again = await store.ResolveAsync(def);
        Assert.Equal(DataSource.Cache, again.Source);
    }

    [Fact]
    public async Task A_corrupt_download_keeps_nothing_and_says_how_to_use_data()
    {
        var (def, served) = TinyDataset();
        using var liar = new LocalHttpServer(path => LocalHttpResponse.Ok(SampleIdxFile.Gzip([0, 0, 8, 1, 0, 0, 0, 0])));
        using var cache = new TempFolder();
        var store = new DatasetStore(new DatasetStoreOptions { EnvironmentDirectory = null, CacheRoot = cache.Path, Mirrors = [liar.BaseUri] });
        var e = await Assert.ThrowsAsync<DigitsException>(() => store.ResolveAsync(def));
        Assert.Contains("--data DIR", e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(cache.Path, "tiny")));
    }

    private sealed class InlineProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
