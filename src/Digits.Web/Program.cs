using Digits;
using Digits.Web;

// `dotnet run --project src/Digits.Web [-- --port N --host ADDRESS --model FILE --rate-limit N]`; `digits serve` is the
// same server with the CLI's help and checks. Any other argument (--environment=…, --contentRoot=…) goes to ASP.NET
// Core's own configuration, as WebApplicationFactory passes them.
var options = new ServerOptions();
var rest = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--port" when value is not null:
            options = options with { Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };
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
            options = options with { RateLimit = int.Parse(value.TrimEnd('/', 's'), System.Globalization.CultureInfo.InvariantCulture) };
            i++;
            break;
        default:
            rest.Add(args[i]);
            break;
    }
}
try
{
    await DigitsServer.RunAsync(options, [.. rest], url => Console.WriteLine($"Digits is serving on {url} (Ctrl+C stops it)"));
    return 0;
}
catch (DigitsException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
