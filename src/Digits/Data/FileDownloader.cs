using System.Diagnostics;

namespace Digits.Data;

/// <summary>Progress of one file's download, reported by <see cref="FileDownloader"/>.</summary>
/// <param name="FileName">The file being downloaded, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
/// <param name="BytesReceived">Bytes of the body received so far from <paramref name="Mirror"/>.</param>
/// <param name="TotalBytes">The body's length in bytes from Content-Length, or null when the server did not send one.</param>
/// <param name="Mirror">The mirror base URI the bytes come from.</param>
public readonly record struct DownloadProgress(string FileName, long BytesReceived, long? TotalBytes, string Mirror);

/// <summary>What a good downloaded file looks like.</summary>
/// <param name="Sha256">
/// Lowercase hex SHA-256 of the file's content after gunzip when <paramref name="GzipCompressed"/> is true
/// (MNIST publishes checksums of the decompressed IDX files), else of the raw bytes.
/// </param>
/// <param name="GzipCompressed">Whether the file is gzip and is to be checked by its decompressed content.</param>
/// <param name="DecompressedLength">
/// When given, the content's length in bytes, after gunzip when <paramref name="GzipCompressed"/> is true, else of the raw file.
/// </param>
public sealed record ExpectedContent(string Sha256, bool GzipCompressed, long? DecompressedLength = null);

/// <summary>
/// Downloads a file from the first of several mirrors that serves it intact. A file only ever appears at its destination
/// whole and verified: bytes go to a temp file next to it, which is checked and then renamed over the destination,
/// so an interrupted or bad download never leaves a half file where a reader would trust it.
/// </summary>
public sealed class FileDownloader
{
    /// <summary>Copy buffer size in bytes, the size <see cref="Stream.CopyToAsync(Stream)"/> uses.</summary>
    private const int CopyBufferSize = 81920;

    /// <summary>Least time between two progress reports, so a fast link does not flood a progress bar.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Shown after every mirror's failure, so the user knows how to get going without the network.</summary>
    private const string ManualDownloadHint = "download it by hand and pass --data DIR, or set DIGITS_DATA";

    private readonly HttpClient http;

    /// <param name="http">The client to download with. The caller owns it and disposes of it.</param>
    public FileDownloader(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        this.http = http;
    }

    /// <summary>
    /// How long a mirror may go without sending anything (the response headers, or the next bytes of the body)
    /// before it is given up on and the next mirror tried. Default 60 seconds.
    /// </summary>
    public TimeSpan StallTimeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, nameof(StallTimeout));
            field = value;
        }
    } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Downloads <paramref name="fileName"/> from the first mirror that serves it intact (its URL is the mirror base URI plus
    /// <paramref name="fileName"/>), and moves it to <paramref name="destinationPath"/>, replacing any file there.
    /// A mirror that refuses the connection, answers a non-2xx status, cuts the body short, stalls for longer than
    /// <see cref="StallTimeout"/>, or serves content that does not match <paramref name="expected"/> is skipped.
    /// </summary>
    /// <param name="fileName">The file's name on the mirrors, e.g. <c>t10k-labels-idx1-ubyte.gz</c>.</param>
    /// <param name="mirrors">Absolute base URIs ending in '/', tried in order.</param>
    /// <param name="destinationPath">Where the verified file goes. Its folder is created if missing.</param>
    /// <param name="expected">The checksum, and optionally the length, that the file's content must have.</param>
    /// <param name="progress">
    /// Called on the downloading thread: once when a mirror starts sending, at most every 100 ms while the body arrives,
    /// and once when it has all arrived.
    /// </param>
    /// <param name="cancellationToken">Cancels the download; the temp file is deleted and the cancellation rethrown.</param>
    /// <exception cref="DigitsException">Every mirror failed. The message has one summary per mirror and a hint for a manual download.</exception>
    public async Task DownloadAsync(string fileName, IReadOnlyList<Uri> mirrors, string destinationPath,
        ExpectedContent expected, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(mirrors);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        ArgumentNullException.ThrowIfNull(expected);
        if (mirrors.Count == 0)
        {
            throw new ArgumentException("at least one mirror is needed", nameof(mirrors));
        }
        foreach (var mirror in mirrors)
        {
            if (!mirror.IsAbsoluteUri || !mirror.AbsolutePath.EndsWith('/'))
            {
                throw new ArgumentException($"mirror {mirror} must be an absolute URI ending in '/'", nameof(mirrors));
            }
        }

        string fullDestination = Path.GetFullPath(destinationPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullDestination)!);
        var failures = new List<string>(mirrors.Count);
        foreach (var mirror in mirrors)
        {
            string tempPath = $"{fullDestination}.part-{Path.GetRandomFileName()}";
            try
            {
                await DownloadToFileAsync(fileName, mirror, tempPath, progress, cancellationToken).ConfigureAwait(false);
                Verify(tempPath, expected);
                File.Move(tempPath, fullDestination, overwrite: true);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                File.Delete(tempPath);
                throw;
            }
            catch (Exception e) when (e is MirrorFailure or HttpRequestException or IOException or DigitsException or OperationCanceledException)
            {
                File.Delete(tempPath);
                failures.Add($"{mirror}: {Describe(e)}");
            }
        }
        throw new DigitsException(fileName, $"{string.Join("; ", failures)}; {ManualDownloadHint}");
    }

    /// <summary>Streams one mirror's copy of the file into <paramref name="tempPath"/>, which it creates.</summary>
    private async Task DownloadToFileAsync(string fileName, Uri mirror, string tempPath,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(StallTimeout);
        try
        {
            using var response = await http.GetAsync(new Uri(mirror, fileName), HttpCompletionOption.ResponseHeadersRead, stall.Token)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new MirrorFailure($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
            }

            long? totalBytes = response.Content.Headers.ContentLength;
            string mirrorText = mirror.ToString();
            await using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            await using var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                CopyBufferSize, FileOptions.Asynchronous);
            var buffer = new byte[CopyBufferSize];
            long received = 0;
            var sinceReport = Stopwatch.StartNew();
            progress?.Report(new DownloadProgress(fileName, received, totalBytes, mirrorText));
            while (true)
            {
                stall.CancelAfter(StallTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                }
                catch (IOException) when (totalBytes is { } total)
                {
                    throw new MirrorFailure($"body cut short, got {received} of {total} bytes");
                }
                if (read == 0)
                {
                    break;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                received += read;
                if (sinceReport.Elapsed >= ProgressInterval)
                {
                    progress?.Report(new DownloadProgress(fileName, received, totalBytes, mirrorText));
                    sinceReport.Restart();
                }
            }
            if (totalBytes is { } expectedTotal && received != expectedTotal)
            {
                throw new MirrorFailure($"body cut short, got {received} of {expectedTotal} bytes");
            }
            progress?.Report(new DownloadProgress(fileName, received, totalBytes, mirrorText));
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MirrorFailure($"no data for {StallTimeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>Checks the downloaded file's content against <paramref name="expected"/>.</summary>
    private static void Verify(string tempPath, ExpectedContent expected)
    {
        var digest = ContentHash.DigestOfFile(tempPath, expected.GzipCompressed);
        if (expected.DecompressedLength is { } length && digest.Length != length)
        {
            throw new MirrorFailure($"size mismatch (expected {length} bytes, got {digest.Length})");
        }
        if (!string.Equals(digest.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new MirrorFailure($"checksum mismatch (expected {Abbreviate(expected.Sha256)}, got {Abbreviate(digest.Sha256)})");
        }
    }

    /// <summary>One line saying why a mirror failed, without the temp file's path, which means nothing to the user.</summary>
    private static string Describe(Exception e) => e switch
    {
        DigitsException digits => OneLine(digits.Problem),
        HttpRequestException { InnerException: { } inner } when !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            => OneLine($"{e.Message} {inner.Message}"),
        _ => OneLine(e.Message),
    };

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The first 12 hex digits: enough to see two hashes differ without a 64-digit wall in a one-line error.</summary>
    private static string Abbreviate(string sha256) => sha256.Length <= 12 ? sha256 : $"{sha256[..12]}…";

    /// <summary>A mirror's copy is unusable for the reason in the message; the next mirror is tried.</summary>
    private sealed class MirrorFailure(string message) : Exception(message);
}
