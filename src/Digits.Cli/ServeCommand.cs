using System.CommandLine;
using System.Globalization;
using System.Net;
using Digits.Web;

namespace Digits.Cli;

/// <summary>
/// <c>digits serve</c>: the web page where you draw a digit and the HTTP API (CONTRACT.md), over one model loaded once.
/// Prints the address, and serves until Ctrl+C.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on (0 picks a free one)", DefaultValueFactory = _ => DigitsServer.DefaultPort, HelpName = "N" };
        var host = new Option<string>("--host") { Description = "Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 to let a phone on the same network open the page", DefaultValueFactory = _ => "127.0.0.1", HelpName = "ADDRESS" };
        var model = new Option<string?>("--model") { Description = $"A model file (.safetensors) to serve instead of the bundled one ({DigitModel.BundledName})", HelpName = "FILE" };
        var rateLimit = new Option<string?>("--rate-limit") { Description = "Requests per second allowed to each client address, e.g. 20/s; over it a request gets 429 (default: no limit)", HelpName = "N/s" };

        var cmd = new Command("serve", "Serve the drawing page and the HTTP API (POST /api/predict, /api/predict/batch, GET /api/models, /healthz, /metrics, /openapi/v1.json, /docs)");
        cmd.Options.Add(port);
        cmd.Options.Add(host);
        cmd.Options.Add(model);
        cmd.Options.Add(rateLimit);
        cmd.SetAction(async (parsed, ct) =>
        {
            int portNumber = parsed.GetValue(port);
            if (portNumber is < 0 or > 65535)
                throw new InvalidOptionException("--port", $"must be 0 to 65535, got {portNumber}");
            string address = parsed.GetValue(host)!;
            if (address != "localhost" && !IPAddress.TryParse(address, out _))
                throw new InvalidOptionException("--host", $"must be an IP address such as 127.0.0.1 or 0.0.0.0 (or localhost), got {address}");
            string? modelPath = parsed.GetValue(model) is { } m ? InputFile.Check(m, "--model") : null;
            var options = new ServerOptions(address, portNumber, modelPath, RateLimit(parsed.GetValue(rateLimit)));
            try
            {
                await DigitsServer.RunAsync(options, [], url =>
                {
                    Console.Out.WriteLine($"Digits is serving on {url}: open it to draw a digit; the API is under {url}/api, its reference at {url}/docs");
                    if (address == "0.0.0.0")
                        Console.Out.WriteLine($"  (on every network address of this machine: a phone on the same network can open http://<this machine's address>:{new Uri(url).Port})");
                    Console.Out.WriteLine("Ctrl+C stops it.");
                }, ct);
            }
            catch (IOException e)
            {
                throw new DigitsException($"--port {portNumber}", e.Message.TrimEnd('.'), e);
            }
            return CommandRunner.Ok;
        });
        return cmd;
    }

    /// <exception cref="InvalidOptionException">Not a positive whole number of requests per second.</exception>
    private static int? RateLimit(string? text)
    {
        if (text is null)
            return null;
        string number = text.EndsWith("/s", StringComparison.Ordinal) ? text[..^2] : text;
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int perSecond) || perSecond < 1)
            throw new InvalidOptionException("--rate-limit", $"must be a whole number of requests per second such as 20/s, got {text}");
        return perSecond;
    }
}
