using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Routing;

namespace Digits.Web;

/// <summary>
/// The web page and the HTTP API (CONTRACT.md, "HTTP"): one <see cref="DigitModel"/>, loaded once and shared by every
/// request; no state between requests, so instances scale out behind any load balancer. <c>digits serve</c> and
/// <c>dotnet run --project src/Digits.Web</c> both build it here.
/// </summary>
public static class DigitsServer
{
    public const int DefaultPort = 5000;

    /// <summary>The API's JSON: snake_case names, as the CLI's <c>--json</c>.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Builds the application (not yet started) for <paramref name="options"/>.</summary>
    /// <exception cref="DigitsException">The model file cannot be read.</exception>
    public static WebApplication Build(ServerOptions options, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RateLimit is < 1)
            throw new ArgumentException($"--rate-limit: must be at least 1 request per second, got {options.RateLimit}");
        var model = options.ModelPath is null ? DigitModel.LoadDefault() : DigitModel.Load(options.ModelPath);
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = ServerOptions.MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://{(options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host}]" : options.Host)}:{options.Port}");
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form =>
        {
            form.MultipartBodyLengthLimit = ServerOptions.MaxBodyBytes;
            form.ValueCountLimit = ServerOptions.MaxBatch + 16;
        });
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // The refusal's own words, never a stack trace.
            var error = context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
            if (error is ApiProblem or BadHttpRequestException)
                context.ProblemDetails.Detail = error.Message;
        });
        builder.Services.AddOpenApi();
        builder.Services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = options.RequestTimeout ?? ServerOptions.DefaultRequestTimeout,
        });
        if (options.RateLimit is int perSecond)
        {
            builder.Services.AddRateLimiter(limiter =>
            {
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = perSecond,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
                limiter.OnRejected = (rejected, token) => new ValueTask(Results.Problem(
                    detail: $"more than {perSecond} requests per second from this client", statusCode: 429)
                    .ExecuteAsync(rejected.HttpContext));
            });
        }
        var metrics = new ServerMetrics();
        var api = new PredictApi(new ModelPool(model, Environment.ProcessorCount), metrics);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(api);

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // A body refused for its size is left unread, and Kestrel will not drain more than its limit: it drops the
            // connection after the answer. Saying so lets a keep-alive client open a new one for its next request
            // instead of losing that request on this one (bench/load: 95 good requests lost in 20 s without it). Set as
            // the answer starts, so that it holds whatever the client accepts and after the exception handler has
            // cleared the headers.
            context.Response.OnStarting(static state =>
            {
                var response = ((HttpContext)state).Response;
                if (response.StatusCode == StatusCodes.Status413PayloadTooLarge)
                    response.Headers.Connection = "close";
                return Task.CompletedTask;
            }, context);
            long start = Stopwatch.GetTimestamp();
            // Taken before the handlers run: the exception handler clears it when it answers a refusal.
            var route = context.GetEndpoint() as RouteEndpoint;
            try
            {
                await next(context);
            }
            finally
            {
                string endpoint = route?.RoutePattern.RawText ?? "other";
                metrics.RecordRequest(endpoint, context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        });
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = Status });
        app.UseStatusCodePages();
        if (options.RateLimit is not null)
            app.UseRateLimiter();
        app.UseRequestTimeouts();
        MapApi(app, api, metrics);
        MapPage(app);
        return app;
    }

    /// <summary>Builds, starts and runs until the process is told to stop; <paramref name="started"/> hears the
    /// address actually bound (port 0 picks one).</summary>
    /// <remarks>This owns the process, so it also sets the process-wide kernel threads to 1: requests are the
    /// parallelism, each one's forward pass on its own thread with a replica of its own (<see cref="ModelPool"/>), and
    /// the kernels' worker pool would only hand one request's work to the core another request is using.</remarks>
    public static async Task RunAsync(ServerOptions options, string[] args, Action<string>? started = null, CancellationToken cancellationToken = default)
    {
        Digits.Tensors.WorkerPool.Threads = 1;
        await using var app = Build(options, args);
        await app.StartAsync(cancellationToken);
        started?.Invoke(app.Urls.First());
        await app.WaitForShutdownAsync(cancellationToken);
    }

    private static void MapApi(WebApplication app, PredictApi api, ServerMetrics metrics)
    {
        app.MapPost("/api/predict", async (HttpRequest request, CancellationToken ct) =>
                Results.Json(await api.PredictAsync(request, ct), Json))
            .WithName("Predict")
            .WithSummary("Read the digit in one picture")
            .WithDescription("Body: an image (image/png, image/jpeg, image/bmp, image/gif or image/webp), a multipart form field \"image\", or JSON {\"image\": base64} or {\"pixels\": [784 numbers 0–255, white ink on black]}. Add ?normalized=true for the 28×28 image the model saw.")
            .Accepts<PredictRequest>("application/json", "multipart/form-data", "image/png", "image/jpeg", "image/bmp", "image/gif", "image/webp")
            .Produces<PredictResponse>()
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422)
            .DisableAntiforgery();
        app.MapPost("/api/predict/batch", async (HttpRequest request, CancellationToken ct) =>
                Results.Json(await api.PredictBatchAsync(request, ct), Json))
            .WithName("PredictBatch")
            .WithSummary("Read the digit in each of up to 256 pictures")
            .WithDescription("Body: a multipart form with several \"image\" fields, or JSON {\"images\": [base64, …]}. An item that cannot be read answers status error; the others go on.")
            .Accepts<BatchRequest>("application/json", "multipart/form-data")
            .Produces<BatchResponse>()
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415)
            .DisableAntiforgery();
        app.MapGet("/api/models", () => Results.Json(api.Models(), Json))
            .WithName("Models").WithSummary("The model served").Produces<IReadOnlyList<ModelInfo>>();
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }, Json))
            .WithName("Health").WithSummary("Whether the server answers");
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("Metrics").WithSummary("Request counts, latency histograms and predictions, in Prometheus' text format");
        app.MapOpenApi();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "Digits API");
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "Digits API";
        });
    }

    /// <summary>The drawing page: <c>/</c> and its assets, embedded in this assembly.</summary>
    private static void MapPage(WebApplication app)
    {
        var assembly = typeof(DigitsServer).Assembly;
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("page/", StringComparison.Ordinal)))
        {
            string path = resource["page".Length..];
            byte[] content = Read(assembly, resource);
            string type = Path.GetExtension(path) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                ".png" => "image/png",
                ".ico" => "image/x-icon",
                _ => "application/octet-stream",
            };
            app.MapGet(path, () => Results.Bytes(content, type)).ExcludeFromDescription();
            if (path == "/index.html")
                app.MapGet("/", () => Results.Bytes(content, type)).ExcludeFromDescription();
        }
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The status of an exception that reached the handler: the API's own refusals and Kestrel's limits keep
    /// theirs, so a bad request is a 4xx and never a 500.</summary>
    private static int Status(Exception exception) => exception switch
    {
        ApiProblem problem => problem.Status,
        BadHttpRequestException bad => bad.StatusCode,
        OperationCanceledException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
