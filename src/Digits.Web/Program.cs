using Digits;
using Digits.Web;

// `dotnet run --project src/Digits.Web [-- --port N --host ADDRESS --model FILE --rate-limit N]`; `digits serve` is the
// same server with the CLI's help and checks. Any other argument (--environment=…, --contentRoot=…) goes to ASP.NET
// Core's own configuration, as WebApplicationFactory passes them.
var options = new ServerOptions();
var rest = new List<string>();
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string? value = i + 1 < args.Length ? args[i + 1] : null;
        switch (args[i])
        {
            case "--port" when value is not null:
                options = options with { Port = Number("--port", value) };
                i++;
                break;
            case "--host" when value is not null:
                options = options with { Host = value };
                i++;
                break;
            case "--model" when value is not null:
                options = options with { ModelPath = value };
                i++;
                break;
            case "--rate-limit" when value is not null:
                options = options with { RateLimit = Number("--rate-limit", value.EndsWith("/s", StringComparison.Ordinal) ? value[..^2] : value) };
                i++;
                break;
            default:
                rest.Add(args[i]);
                break;
        }
    }
}
catch (FormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

try
{
    await DigitsServer.RunAsync(options, [.. rest], url => Console.WriteLine($"Digits is serving on {url} (Ctrl+C stops it)"));
    return 0;
}
catch (Exception e) when (e is DigitsException or IOException or ArgumentException)
{
    // A model file that cannot be read, a port in use, an option out of range: one line, no stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static int Number(string option, string text) =>
    int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)
        ? n
        : throw new FormatException($"{option}: '{text}' is not a whole number");
