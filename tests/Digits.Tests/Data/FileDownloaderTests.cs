using Digits.Data;

namespace Digits.Tests.Data;

public sealed class FileDownloaderTests : IDisposable
{
    private const string FileName = "t10k-labels-idx1-ubyte.gz";

    private static readonly byte[] Content = SampleIdxFile.Content();
    private static readonly byte[] Gzipped = SampleIdxFile.Gzip(Content);
    private static readonly ExpectedContent Expected = new(SampleIdxFile.Sha256(Content), GzipCompressed: true, Content.Length);

    private readonly string folder = Directory.CreateTempSubdirectory("digits-download-").FullName;
    private readonly HttpClient http = new();

    private string Destination => Path.Combine(folder, FileName);

    public void Dispose()
    {
        http.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Download_writes_the_verified_file_and_reports_progress_up_to_the_total()
    {
        using var server = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped));
        var mirror = new Uri(server.BaseUri, "mnist/");
        var progress = new RecordingProgress();

        await new FileDownloader(http).DownloadAsync(FileName, [mirror], Destination, Expected, progress);

        Assert.Equal(Gzipped, await File.ReadAllBytesAsync(Destination));
        Assert.Equal([Destination], Directory.GetFiles(folder));
        Assert.Equal(["/mnist/" + FileName], server.RequestedPaths);
        Assert.NotEmpty(progress.Reports);
        Assert.Equal(new DownloadProgress(FileName, Gzipped.Length, Gzipped.Length, mirror.ToString()), progress.Reports[^1]);
    }

    [Fact]
    public async Task Download_falls_over_to_the_next_mirror_after_a_404()
    {
        using var missing = LocalHttpServer.Answering(LocalHttpResponse.NotFound());
        using var good = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped));

        await new FileDownloader(http).DownloadAsync(FileName, [missing.BaseUri, good.BaseUri], Destination, Expected);

        Assert.Equal(Gzipped, await File.ReadAllBytesAsync(Destination));
        Assert.Single(missing.RequestedPaths);
        Assert.Equal([Destination], Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Download_rejects_a_body_with_the_wrong_checksum_and_keeps_nothing()
    {
        var other = SampleIdxFile.Gzip(SampleIdxFile.Content(count: 2999));
        using var server = LocalHttpServer.Answering(LocalHttpResponse.Ok(other));

        var error = await Assert.ThrowsAsync<DigitsException>(() =>
            new FileDownloader(http).DownloadAsync(FileName, [server.BaseUri], Destination, Expected with { DecompressedLength = null }));

        Assert.Contains("checksum mismatch (expected " + Expected.Sha256[..12], error.Problem);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Download_rejects_content_of_the_wrong_decompressed_length()
    {
        using var server = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped));

        var error = await Assert.ThrowsAsync<DigitsException>(() =>
            new FileDownloader(http).DownloadAsync(FileName, [server.BaseUri], Destination, Expected with { DecompressedLength = 47_040_016 }));

        Assert.Contains($"size mismatch (expected 47040016 bytes, got {Content.Length})", error.Problem);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Download_rejects_a_truncated_gzip_even_when_the_http_body_is_complete()
    {
        using var server = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped[..(Gzipped.Length / 2)]));

        var error = await Assert.ThrowsAsync<DigitsException>(() =>
            new FileDownloader(http).DownloadAsync(FileName, [server.BaseUri], Destination, Expected));

        Assert.Contains("truncated gzip stream", error.Problem);
        Assert.DoesNotContain(".part-", error.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Download_checks_the_raw_bytes_when_the_file_is_not_gzip()
    {
        using var server = LocalHttpServer.Answering(LocalHttpResponse.Ok(Content));
        var raw = new ExpectedContent(SampleIdxFile.Sha256(Content), GzipCompressed: false, Content.Length);

        await new FileDownloader(http).DownloadAsync("t10k-labels-idx1-ubyte", [server.BaseUri], Destination, raw);

        Assert.Equal(Content, await File.ReadAllBytesAsync(Destination));
    }

    [Fact]
    public async Task Download_rejects_a_body_cut_short_and_keeps_nothing()
    {
        using var server = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped) with { CloseAfterBodyBytes = 100 });

        var error = await Assert.ThrowsAsync<DigitsException>(() =>
            new FileDownloader(http).DownloadAsync(FileName, [server.BaseUri], Destination, Expected));

        Assert.Contains($"body cut short, got 100 of {Gzipped.Length} bytes", error.Problem);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Download_falls_over_to_the_next_mirror_when_the_first_closes_mid_body()
    {
        using var cut = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped) with { CloseAfterBodyBytes = 100 });
        using var good = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped));

        await new FileDownloader(http).DownloadAsync(FileName, [cut.BaseUri, good.BaseUri], Destination, Expected);

        Assert.Equal(Gzipped, await File.ReadAllBytesAsync(Destination));
        Assert.Equal([Destination], Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Download_falls_over_when_a_mirror_refuses_the_connection()
    {
        using var good = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped));

        await new FileDownloader(http).DownloadAsync(FileName, [LocalHttpServer.RefusingBaseUri(), good.BaseUri], Destination, Expected);

        Assert.Equal(Gzipped, await File.ReadAllBytesAsync(Destination));
    }

    [Fact]
    public async Task Download_failure_names_the_file_each_mirror_and_the_data_option()
    {
        using var missing = LocalHttpServer.Answering(LocalHttpResponse.NotFound());
        using var cut = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped) with { CloseAfterBodyBytes = 10 });
        var refusing = LocalHttpServer.RefusingBaseUri();
        var missingMirror = new Uri(missing.BaseUri, "a/");

        var error = await Assert.ThrowsAsync<DigitsException>(() =>
            new FileDownloader(http).DownloadAsync(FileName, [missingMirror, cut.BaseUri, refusing], Destination, Expected));

        Assert.Equal(FileName, error.Subject);
        Assert.StartsWith($"{missingMirror}: HTTP 404 Not Found; {cut.BaseUri}: body cut short, got 10 of {Gzipped.Length} bytes", error.Problem);
        Assert.Contains($"; {refusing}: ", error.Problem);
        Assert.EndsWith("download it by hand and pass --data DIR, or set DIGITS_DATA", error.Problem);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Download_gives_up_on_a_mirror_that_stops_sending()
    {
        using var stalled = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped) with { StallAfterBodyBytes = 10 });
        var downloader = new FileDownloader(http) { StallTimeout = TimeSpan.FromMilliseconds(200) };

        var error = await Assert.ThrowsAsync<DigitsException>(() =>
            downloader.DownloadAsync(FileName, [stalled.BaseUri], Destination, Expected));

        Assert.Contains($"{stalled.BaseUri}: no data for 0.2 s", error.Problem);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Download_cancelled_mid_body_deletes_the_temp_file_and_rethrows()
    {
        using var stalled = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped) with { StallAfterBodyBytes = 10 });
        using var cancellation = new CancellationTokenSource();
        string[] filesWhenCancelled = [];
        var progress = new RecordingProgress(_ =>
        {
            filesWhenCancelled = Directory.GetFiles(folder);
            cancellation.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new FileDownloader(http).DownloadAsync(FileName, [stalled.BaseUri], Destination, Expected, progress, cancellation.Token));

        Assert.Contains(filesWhenCancelled, path => Path.GetFileName(path).StartsWith(FileName + ".part-", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Download_replaces_an_existing_destination_file()
    {
        await File.WriteAllTextAsync(Destination, "an old, broken copy");
        using var server = LocalHttpServer.Answering(LocalHttpResponse.Ok(Gzipped));

        await new FileDownloader(http).DownloadAsync(FileName, [server.BaseUri], Destination, Expected);

        Assert.Equal(Gzipped, await File.ReadAllBytesAsync(Destination));
    }

    [Fact]
    public async Task Download_rejects_a_mirror_without_a_trailing_slash()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            new FileDownloader(http).DownloadAsync(FileName, [new Uri("http://127.0.0.1:1/mnist")], Destination, Expected));

        Assert.Equal("mirrors", error.ParamName);
    }

    /// <summary>Records reports synchronously, unlike <see cref="Progress{T}"/>, which posts them to the thread pool.</summary>
    private sealed class RecordingProgress(Action<DownloadProgress>? onReport = null) : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];

        public void Report(DownloadProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
