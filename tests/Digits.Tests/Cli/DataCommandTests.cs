namespace Digits.Tests.Cli;

public class DataCommandTests
{
    [Fact]
    public void Data_info_json_reports_mnist_counts_and_verified_checksums()
    {
        var r = CliRunner.Run("data", "info", "--data", TestData.MnistDirectory, "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();
        Assert.Equal("arg", json.GetProperty("source").GetString());
        Assert.Equal(60000, json.GetProperty("train").GetProperty("count").GetInt32());
        Assert.Equal(10000, json.GetProperty("test").GetProperty("count").GetInt32());
        Assert.Equal(10, json.GetProperty("test").GetProperty("class_counts").GetArrayLength());
        Assert.Equal("verified", json.GetProperty("checksums").GetString());
    }

    [Fact]
    public void Data_info_uses_DIGITS_DATA_when_no_folder_is_given()
    {
        var r = CliRunner.Run(new Dictionary<string, string?> { ["DIGITS_DATA"] = TestData.MnistDirectory }, "data", "info", "--json", "--no-verify");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("env", r.Json().GetProperty("source").GetString());
        Assert.Equal("unchecked", r.Json().GetProperty("checksums").GetString());
    }

    [Fact]
    public void Missing_data_folder_is_one_error_line_and_exit_1()
    {
        var r = CliRunner.Run("data", "info", "--data", "/no/such/folder");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: --data: folder /no/such/folder does not exist", r.Stderr.Trim());
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Verify_fails_with_exit_1_on_a_corrupt_file()
    {
        using var tmp = new TempFolder();
        foreach (string f in Directory.GetFiles(TestData.MnistDirectory, "*ubyte*"))
            File.Copy(f, Path.Combine(tmp.Path, Path.GetFileName(f)));
        string labels = Directory.GetFiles(tmp.Path, "t10k-labels*").Single();
        File.Delete(labels);
        File.WriteAllBytes(Path.Combine(tmp.Path, "t10k-labels-idx1-ubyte"), new byte[10008]);
        var r = CliRunner.Run("data", "verify", "--data", tmp.Path, "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("mismatch", r.Json().GetProperty("checksums").GetString());
        Assert.StartsWith("error: t10k-labels-idx1-ubyte: checksum mismatch", r.Stderr);
    }

    [Fact]
    public void A_folder_of_another_dataset_is_recognised_by_its_labels_checksum()
    {
        var r = CliRunner.Run("data", "info", "--dataset", "fashion-mnist", "--data", TestData.MnistDirectory);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not fashion-mnist's training labels", r.Stderr);
    }

    [Fact]
    public void Unknown_dataset_names_the_known_ones()
    {
        var r = CliRunner.Run("data", "info", "--dataset", "cifar");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: --dataset: unknown dataset 'cifar', known: mnist, fashion-mnist", r.Stderr.Trim());
    }

    [Fact]
    public void Unknown_command_is_a_usage_error_with_exit_2()
    {
        var r = CliRunner.Run("data", "infx");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: infx: unknown command (did you mean 'info'?); see 'digits data --help'", r.Stderr.Trim());
    }

    [Fact]
    public void Help_and_version_work()
    {
        var help = CliRunner.Run("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("data", help.Stdout);
        Assert.Contains("preprocess", help.Stdout);
        var version = CliRunner.Run("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout.Trim());
    }
}

public class DataFetchCommandTests
{
    [Fact]
    public void Fetch_downloads_into_the_cache_from_DIGITS_MIRRORS_then_finds_it_there()
    {
        var served = Directory.GetFiles(TestData.MnistDirectory, "*.gz").ToDictionary(f => "/" + Path.GetFileName(f), File.ReadAllBytes);
        using var server = new Digits.Tests.Data.LocalHttpServer(path => served.TryGetValue(path, out var body)
            ? Digits.Tests.Data.LocalHttpResponse.Ok(body) : Digits.Tests.Data.LocalHttpResponse.NotFound());
        using var cache = new TempFolder();
        var env = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cache.Path, ["DIGITS_MIRRORS"] = server.BaseUri.ToString(), ["DIGITS_DATA"] = null };

        var first = CliRunner.Run(env, "data", "fetch", "--json");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal("download", first.Json().GetProperty("source").GetString());
        Assert.Equal(Path.Combine(cache.Path, "digits", "mnist"), first.Json().GetProperty("directory").GetString());

        var info = CliRunner.Run(env, "data", "info", "--json");
        Assert.Equal(0, info.ExitCode);
        Assert.Equal("cache", info.Json().GetProperty("source").GetString());
        Assert.Equal("verified", info.Json().GetProperty("checksums").GetString());
    }

    [Fact]
    public void A_bad_DIGITS_MIRRORS_entry_is_named()
    {
        using var cache = new TempFolder();
        var env = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cache.Path, ["DIGITS_MIRRORS"] = "ftp://example/", ["DIGITS_DATA"] = null };
        var r = CliRunner.Run(env, "data", "fetch");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: DIGITS_MIRRORS: 'ftp://example/' is not an absolute http(s) URL", r.Stderr.Trim());
    }
}
