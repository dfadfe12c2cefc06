namespace Digits.Web;

/// <summary>How <see cref="DigitsServer"/> listens and what it serves.</summary>
/// <param name="Host">Address to bind: 127.0.0.1 (this machine only) by default; 0.0.0.0 lets a phone on the same
/// network open the page.</param>
/// <param name="Port">TCP port; 0 picks a free one (tests).</param>
/// <param name="ModelPath">A model file to serve instead of the bundled one.</param>
/// <param name="RateLimit">Requests per second allowed to each client address (a token bucket as deep as one second);
/// null for no limit. Over it a request gets 429.</param>
/// <param name="RequestTimeout">Longest time one request may take before it is cancelled (503 while unanswered).</param>
public sealed record ServerOptions(
    string Host = "127.0.0.1",
    int Port = DigitsServer.DefaultPort,
    string? ModelPath = null,
    int? RateLimit = null,
    TimeSpan? RequestTimeout = null)
{
    /// <summary>Largest request body: 5 MB (CONTRACT.md); over it, 413.</summary>
    public const long MaxBodyBytes = 5 * 1024 * 1024;

    /// <summary>Most images in one batch request; more is a 400.</summary>
    public const int MaxBatch = 256;

    /// <summary>The request timeout when none is given.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);
}
