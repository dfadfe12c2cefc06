using System.Net;
using System.Net.Sockets;
using System.Text;
using Digits.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Digits.Tests.Web;

/// <summary>The server on a real socket (Kestrel on port 0): rate limit, bad requests beside good ones, a port in use.</summary>
public class ServeTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(ServerOptions options)
    {
        var app = DigitsServer.Build(options with { Port = 0 });
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    [Fact]
    public async Task A_client_over_its_rate_limit_gets_429_as_a_problem_document()
    {
        var (app, client) = await StartAsync(new ServerOptions(RateLimit: 3));
        await using var _ = app;
        using var __ = client;

        // Twenty at once: the bucket holds three, so most are refused whatever the timing.
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/healthz")));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();

        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.OK), 3, 6);
        Assert.Equal(20, responses.Count(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);
        Assert.Contains("more than 3 requests per second", await refused[0].Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_requests_beside_good_ones_get_their_4xx_and_the_good_ones_still_answer()
    {
        var (app, client) = await StartAsync(new ServerOptions());
        await using var _ = app;
        using var __ = client;
        byte[] five = File.ReadAllBytes(Path.Combine(TestData.RepoRoot, "samples", "canvas-5.png"));
        var rng = new Random(3);

        var tasks = Enumerable.Range(0, 60).Select(async i =>
        {
            HttpContent body = (i % 3) switch
            {
                0 => new ByteArrayContent(five),
                1 => new ByteArrayContent(RandomBytes(rng, 200 + i)),
                _ => new StringContent("{\"pixels\": [1, 2, 3]}", Encoding.UTF8, "application/json"),
            };
            if (i % 3 < 2)
                body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            var response = await client.PostAsync("/api/predict", body);
            return (i % 3, response.StatusCode);
        });
        var results = await Task.WhenAll(tasks);

        Assert.All(results.Where(r => r.Item1 == 0), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(results.Where(r => r.Item1 != 0), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        // A body over 5 MB on a real socket is refused before it is sent (the client waits for 100-continue).
        var big = new ByteArrayContent(new byte[ServerOptions.MaxBodyBytes + 1024]);
        big.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = big };
        request.Headers.ExpectContinue = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("image/png")] // no problem document can be written for it: the 413 is empty, and still says close
    public async Task A_413_for_a_body_left_unread_tells_a_keep_alive_client_the_connection_closes(string accept)
    {
        // Kestrel drops the connection after refusing a body over its limit unread; without "Connection: close" a
        // client (wrk in bench/load did) would send its next request on that connection and lose it.
        var (app, client) = await StartAsync(new ServerOptions());
        await using var _ = app;
        using var __ = client;
        var uri = new Uri(app.Urls.First());
        using var socket = new TcpClient();
        await socket.ConnectAsync(uri.Host, uri.Port);
        var stream = socket.GetStream();
        string head = $"POST /api/predict HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: image/png\r\n" +
            $"Accept: {accept}\r\nContent-Length: {ServerOptions.MaxBodyBytes + 1024}\r\nConnection: keep-alive\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        var answer = new StringBuilder();
        var buffer = new byte[4096];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!answer.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer, wait.Token);
            if (read == 0)
                break;
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        string headers = answer.ToString();

        Assert.StartsWith("HTTP/1.1 413", headers);
        Assert.Contains("Connection: close", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task A_request_whose_body_stalls_past_the_timeout_is_answered_and_the_server_goes_on()
    {
        var (app, client) = await StartAsync(new ServerOptions(RequestTimeout: TimeSpan.FromSeconds(1)));
        await using var _ = app;
        using var __ = client;
        var address = new Uri(app.Urls.First());

        // A client that promises 1,000 bytes of PNG and sends 10, then nothing.
        using var socket = new TcpClient();
        await socket.ConnectAsync(address.Host, address.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/predict HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n0123456789"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[4096];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read = await stream.ReadAsync(buffer, wait.Token);
        string answer = Encoding.ASCII.GetString(buffer, 0, read);

        Assert.StartsWith("HTTP/1.1 50", answer);
        Assert.InRange(started.Elapsed.TotalSeconds, 0.5, 8);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_says_so_and_exits_1()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = Cli.CliRunner.Run("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: --port {port}: ", result.Stderr.Trim());
        Assert.DoesNotContain("internal", result.Stderr);
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        lock (rng)
            rng.NextBytes(bytes);
        return bytes;
    }
}
