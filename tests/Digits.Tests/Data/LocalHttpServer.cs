using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Digits.Tests.Data;

/// <summary>
/// What <see cref="LocalHttpServer"/> answers to one request. By default the whole <see cref="Body"/> is sent and the
/// connection closed; <see cref="CloseAfterBodyBytes"/> and <see cref="StallAfterBodyBytes"/> make it misbehave.
/// </summary>
public sealed record LocalHttpResponse(int StatusCode, string ReasonPhrase, byte[] Body)
{
    public static LocalHttpResponse Ok(byte[] body) => new(200, "OK", body);

    public static LocalHttpResponse NotFound() => new(404, "Not Found", "not found"u8.ToArray());

    /// <summary>Announce the whole body in Content-Length, send only this many bytes of it, then close the connection.</summary>
    public int? CloseAfterBodyBytes { get; init; }

    /// <summary>Announce the whole body in Content-Length, send only this many bytes of it, then send nothing until the server is disposed.</summary>
    public int? StallAfterBodyBytes { get; init; }
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for tests that must not touch the internet.
/// It answers every GET with <c>Connection: close</c> and whatever the route function returns for the request path,
/// and can cut a body short or stall mid-body, which a real server library will not do on demand.
/// Dispose stops it and ends every open connection.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    /// <summary>Longest request head accepted, in bytes; the downloader's GETs are a few hundred.</summary>
    private const int MaxRequestHeadBytes = 16 * 1024;

    private readonly Func<string, LocalHttpResponse> route;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<string> requestedPaths = new();
    private readonly Task acceptLoop;

    /// <param name="route">Maps a request path such as <c>/mnist/train-labels-idx1-ubyte.gz</c> to the response.</param>
    public LocalHttpServer(Func<string, LocalHttpResponse> route)
    {
        this.route = route;
        listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        acceptLoop = AcceptLoopAsync();
    }

    /// <summary>A server that answers every path with <paramref name="response"/>.</summary>
    public static LocalHttpServer Answering(LocalHttpResponse response) => new(_ => response);

    /// <summary>The server's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The paths requested so far, in order of arrival.</summary>
    public IReadOnlyList<string> RequestedPaths => [.. requestedPaths];

    /// <summary>
    /// A base URI on 127.0.0.1 where nothing listens, so connecting is refused: a port the OS just handed out and took back.
    /// </summary>
    public static Uri RefusingBaseUri()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        acceptLoop.Wait(TimeSpan.FromSeconds(5));
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stopping.Token);
                connections.Add(ServeAsync(client, stopping.Token));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The listener was stopped by Dispose.
        }
        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                string? path = await ReadRequestPathAsync(stream, stopping);
                if (path is null)
                {
                    return;
                }
                requestedPaths.Enqueue(path);
                var response = route(path);
                string head = $"HTTP/1.1 {response.StatusCode} {response.ReasonPhrase}\r\n" +
                              $"Content-Length: {response.Body.Length}\r\n" +
                              "Content-Type: application/octet-stream\r\n" +
                              "Connection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stopping);
                int bodyBytes = response.CloseAfterBodyBytes ?? response.StallAfterBodyBytes ?? response.Body.Length;
                await stream.WriteAsync(response.Body.AsMemory(0, bodyBytes), stopping);
                await stream.FlushAsync(stopping);
                if (response.StallAfterBodyBytes is not null)
                {
                    await Task.Delay(Timeout.Infinite, stopping);
                }
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The client went away, or Dispose ended the connection.
            }
        }
    }

    /// <summary>Reads the request head up to its blank line and returns the path from the request line, or null if the client hung up.</summary>
    private static async Task<string?> ReadRequestPathAsync(NetworkStream stream, CancellationToken stopping)
    {
        var head = new byte[MaxRequestHeadBytes];
        int length = 0;
        while (length < head.Length)
        {
            int read = await stream.ReadAsync(head.AsMemory(length), stopping);
            if (read == 0)
            {
                return null;
            }
            length += read;
            string text = Encoding.ASCII.GetString(head, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text.Split(' ', 3)[1];
            }
        }
        return null;
    }
}
