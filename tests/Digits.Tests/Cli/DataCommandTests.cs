using Digits.Tests.Data;

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
    public void Unknown_dataset_is_a_usage_error_naming_the_known_ones()
    {
        var r = CliRunner.Run("data", "info", "--dataset", "cifar");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --dataset: unknown dataset 'cifar', known: mnist, fashion-mnist", r.Stderr.Trim());
    }

    [Fact]
    public void A_file_as_data_folder_is_a_usage_error_naming_data()
    {
        using var tmp = new TempFolder();
        string file = tmp.File("x.txt");
        File.WriteAllText(file, "not a folder");
        var r = CliRunner.Run("data", "info", "--data", file);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"error: --data: {file} is a file, expected a folder", r.Stderr.Trim());
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void An_empty_data_folder_name_is_a_usage_error_naming_data()
    {
        var r = CliRunner.Run("data", "info", "--data", "");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.StartsWith("error: --data: is empty", r.Stderr);
    }

    [Fact]
    public void Data_info_reports_each_splits_image_size_and_checksums()
    {
        using var folder = new EditedMnistFolder().WithTestImagesCropped(20);
        var r = CliRunner.Run("data", "info", "--data", folder.Path, "--json");
        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        Assert.Equal([28, 28], json.GetProperty("train").GetProperty("image_size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([20, 20], json.GetProperty("test").GetProperty("image_size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([28, 28], json.GetProperty("image_size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("verified", json.GetProperty("train").GetProperty("checksums").GetString());
        Assert.Equal("mismatch", json.GetProperty("test").GetProperty("checksums").GetString());
        Assert.Equal("mismatch", json.GetProperty("checksums").GetString());

        var human = CliRunner.Run("data", "info", "--data", folder.Path);
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("train 60,000 images of 28x28 pixels, test 10,000 images of 20x20 pixels", human.Stdout);
        Assert.Contains("the test images are 20x20, but MNIST images are 28x28", human.Stdout);
    }

    [Fact]
    public void Data_info_names_edited_test_labels_as_a_mismatch()
    {
        using var folder = new EditedMnistFolder().WithTestLabelsChanged(2000);
        var json = CliRunner.Run("data", "info", "--data", folder.Path, "--json").Json();
        Assert.Equal("mismatch", json.GetProperty("checksums").GetString());
        Assert.Equal("verified", json.GetProperty("train").GetProperty("checksums").GetString());
        Assert.Equal("mismatch", json.GetProperty("test").GetProperty("checksums").GetString());
        var labels = json.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "t10k-labels-idx1-ubyte");
        Assert.False(labels.GetProperty("matches").GetBoolean());
    }

    [Fact]
    public void Data_show_refuses_a_picture_over_40_megapixels_before_loading_data()
    {
        using var tmp = new TempFolder();
        string png = tmp.File("grid.png");
        var r = CliRunner.Run("data", "show", "--data", "/no/such/folder", "--count", "1024", "--columns", "5000", "--scale", "8", "--out", png);
        Assert.Equal(2, r.ExitCode);
        string line = Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.StartsWith("error: --count, --columns, --scale: the picture would be ", line);
        Assert.Contains("megapixels", line);
        Assert.DoesNotContain("internal", line);
        Assert.False(File.Exists(png));
    }

    [Fact]
    public void Data_show_caps_columns_at_the_count()
    {
        using var tmp = new TempFolder();
        string png = tmp.File("grid.png");
        var r = CliRunner.Run("data", "show", "--data", TestData.MnistDirectory, "--count", "4", "--columns", "5000", "--scale", "2", "--out", png, "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(4, r.Json().GetProperty("columns").GetInt32());
        var (width, height) = Digits.Imaging.DigitGrid.Measure(4, 4, 2, "#3: 0".Length);
        byte[] header = File.ReadAllBytes(png)[16..24];
        Assert.Equal(width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header));
        Assert.Equal(height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
    }

    [Fact]
    public void Data_show_refuses_test_images_of_another_size_naming_the_file()
    {
        using var folder = new EditedMnistFolder().WithTestImagesCropped(20);
        using var tmp = new TempFolder();
        var r = CliRunner.Run("data", "show", "--data", folder.Path, "--out", tmp.File("grid.png"));
        Assert.Equal(1, r.ExitCode);
        string imagesFile = folder.PathOf(Digits.Data.DatasetCatalog.Mnist.TestImages);
        Assert.Equal($"error: {imagesFile}: images are 20x20, but MNIST images are 28x28", r.Stderr.Trim());
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
