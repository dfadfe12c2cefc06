using System.Text.Json;
using System.Text.Json.Serialization;
using Digits.Imaging;
using Microsoft.AspNetCore.Http.Features;

namespace Digits.Web;

/// <summary>One answer of <c>POST /api/predict</c> (CONTRACT.md's predict result without <c>file</c>, plus <c>model</c>).</summary>
public sealed record PredictResponse(
    string Model,
    int? Digit,
    float? Confidence,
    float[]? Probabilities,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? Normalized = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Index = null);

/// <summary>The answer of <c>POST /api/predict/batch</c>: one result per image, in order, each with its index.</summary>
public sealed record BatchResponse(string Model, IReadOnlyList<PredictResponse> Results);

/// <summary>One entry of <c>GET /api/models</c>.</summary>
public sealed record ModelInfo(string Name, string Kind, IReadOnlyList<string> Labels, double? TestAccuracy, bool Default);

/// <summary>The JSON bodies <c>POST /api/predict</c> accepts: a base64 image or 784 pixel values.</summary>
public sealed record PredictRequest(string? Image, double[]? Pixels);

/// <summary>The JSON body <c>POST /api/predict/batch</c> accepts.</summary>
public sealed record BatchRequest(string[]? Images);

/// <summary>A request the API refuses, with the status and the detail its problem document carries.</summary>
public sealed class ApiProblem(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;
}

/// <summary>
/// The prediction endpoints' work: turning each kind of body (a raw image, a multipart <c>image</c> field, JSON with
/// base64 or pixels) into bytes for <see cref="DigitModel"/>, and its answers into the contract's JSON. Refusals are
/// <see cref="ApiProblem"/>s, which the server answers as RFC 7807 problem details.
/// </summary>
public sealed class PredictApi(ModelPool pool, ServerMetrics metrics)
{
    /// <summary>The content types accepted as a raw image body.</summary>
    public static readonly IReadOnlyList<string> ImageTypes = ["image/png", "image/jpeg", "image/bmp", "image/gif", "image/webp"];

    public DigitModel Model => pool.Model;

    /// <summary><c>POST /api/predict</c>.</summary>
    public async Task<PredictResponse> PredictAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        bool normalized = WantsNormalized(request);
        string type = MediaType(request);
        if (type == "multipart/form-data")
        {
            var form = await ReadFormAsync(request, cancellationToken);
            var file = form.Files.GetFile("image") ?? throw new ApiProblem(400, "the form has no file field named \"image\"");
            return await AnswerAsync(await ReadFileAsync(file, cancellationToken), normalized, cancellationToken);
        }
        if (type == "application/json")
        {
            var body = await ReadJsonAsync<PredictRequest>(request, cancellationToken);
            if (body.Pixels is { } pixels)
            {
                byte[] drawing = Pixels(pixels);
                return Response(await pool.RunAsync(m => m.PredictPixels(drawing), cancellationToken), normalized);
            }
            if (body.Image is { } image)
                return await AnswerAsync(Base64(image, "image"), normalized, cancellationToken);
            throw new ApiProblem(400, "the JSON body needs \"image\" (a base64 picture) or \"pixels\" (784 numbers 0–255)");
        }
        if (ImageTypes.Contains(type))
            return await AnswerAsync(await ReadBodyAsync(request, cancellationToken), normalized, cancellationToken);
        throw Unsupported(request);
    }

    /// <summary><c>POST /api/predict/batch</c>.</summary>
    public async Task<BatchResponse> PredictBatchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        bool normalized = WantsNormalized(request);
        string type = MediaType(request);
        byte[]?[] images;
        if (type == "multipart/form-data")
        {
            var files = (await ReadFormAsync(request, cancellationToken)).Files.GetFiles("image");
            CheckBatchSize(files.Count);
            images = new byte[files.Count][];
            for (int i = 0; i < files.Count; i++)
                images[i] = await ReadFileAsync(files[i], cancellationToken);
        }
        else if (type == "application/json")
        {
            var body = await ReadJsonAsync<BatchRequest>(request, cancellationToken);
            var given = body.Images ?? throw new ApiProblem(400, "the JSON body needs \"images\": an array of base64 pictures");
            CheckBatchSize(given.Length);
            images = new byte[given.Length][];
            for (int i = 0; i < given.Length; i++)
                images[i] = TryBase64(given[i]);
        }
        else
        {
            throw Unsupported(request, batch: true);
        }

        // Items that are not images answer error one by one; the rest go through the model together.
        var refusals = images.Select(image => image is null ? null : Refusal(image)).ToArray();
        var readable = Enumerable.Range(0, images.Length).Where(i => images[i] is not null && refusals[i] is null).ToArray();
        var answers = await pool.RunAsync(m => m.PredictImageBatch(readable.Select(i => images[i]!)), cancellationToken);
        var results = new PredictResponse[images.Length];
        for (int k = 0; k < readable.Length; k++)
            results[readable[k]] = Response(answers[k], normalized) with { Index = readable[k] };
        for (int i = 0; i < images.Length; i++)
        {
            if (results[i] is null)
            {
                metrics.RecordPrediction("error");
                string problem = images[i] is null ? "not valid base64" : refusals[i]!.Message;
                results[i] = new PredictResponse(Model.Name, null, null, null, "error", Error: problem, Index: i);
            }
        }
        return new BatchResponse(Model.Name, results);
    }

    /// <summary><c>GET /api/models</c>: the one model served.</summary>
    public IReadOnlyList<ModelInfo> Models()
    {
        double? accuracy = null;
        try
        {
            using var metricsJson = JsonDocument.Parse(Model.Metadata.Metrics);
            if (metricsJson.RootElement.TryGetProperty("test_accuracy", out var value) && value.TryGetDouble(out double a))
                accuracy = a;
        }
        catch (JsonException)
        {
            accuracy = null;
        }
        return [new ModelInfo(Model.Name, Model.Metadata.Kind, Model.Metadata.Labels, accuracy, Default: true)];
    }

    private async Task<PredictResponse> AnswerAsync(byte[] image, bool normalized, CancellationToken cancellationToken)
    {
        if (Refusal(image) is { } refusal)
            throw refusal;
        var answer = await pool.RunAsync(m => m.PredictImage(image), cancellationToken);
        // The header was readable but the pixels were not (truncated or corrupt data): the client's fault.
        if (answer.Status == PredictionStatus.Error)
            throw new ApiProblem(400, answer.Reason ?? "the image cannot be decoded");
        return Response(answer, normalized);
    }

    private PredictResponse Response(Prediction p, bool normalized)
    {
        metrics.RecordPrediction(p.StatusName);
        return new PredictResponse(
            Model.Name, p.Digit, (float?)p.Confidence, p.Probabilities, p.StatusName,
            Reason: p.Status == PredictionStatus.Error ? null : p.Reason,
            Error: p.Status == PredictionStatus.Error ? p.Reason : null,
            Normalized: normalized ? p.Normalized?.Select(v => (int)v).ToArray() : null);
    }

    /// <summary>Why an image body is refused before decoding (null when it is not): 400 when no codec reads its
    /// header, 422 when it holds more pixels than <see cref="ImageDecoder.MaxPixels"/>.</summary>
    private static ApiProblem? Refusal(byte[] image)
    {
        if (image.Length == 0)
            return new ApiProblem(400, "the image is empty");
        if (!ImageDecoder.TryReadSize(image, out int width, out int height))
            return new ApiProblem(400, "not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)");
        if ((long)width * height > ImageDecoder.MaxPixels)
            return new ApiProblem(422, $"the image is {width}×{height} = {(long)width * height:N0} pixels, more than the {ImageDecoder.MaxPixels:N0} allowed");
        return null;
    }

    private static byte[] Pixels(double[] values)
    {
        if (values.Length != DigitImage.Pixels)
            throw new ApiProblem(400, $"\"pixels\" must hold {DigitImage.Pixels} numbers (28×28), got {values.Length}");
        var pixels = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!(v >= 0 && v <= 255))
                throw new ApiProblem(400, $"\"pixels\"[{i}] is {v}; every value must be from 0 to 255");
            pixels[i] = (byte)Math.Round(v);
        }
        return pixels;
    }

    private static byte[] Base64(string text, string field) =>
        TryBase64(text) ?? throw new ApiProblem(400, $"\"{field}\" is not valid base64");

    /// <summary>Decodes base64, also with a <c>data:image/…;base64,</c> prefix as a browser's canvas gives it.</summary>
    private static byte[]? TryBase64(string? text)
    {
        if (text is null)
            return null;
        int comma = text.StartsWith("data:", StringComparison.Ordinal) ? text.IndexOf(',', StringComparison.Ordinal) : -1;
        try
        {
            return Convert.FromBase64String(comma >= 0 ? text[(comma + 1)..] : text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void CheckBatchSize(int count)
    {
        if (count == 0)
            throw new ApiProblem(400, "the batch holds no image");
        if (count > ServerOptions.MaxBatch)
            throw new ApiProblem(400, $"the batch holds {count} images; at most {ServerOptions.MaxBatch} are allowed");
    }

    private static bool WantsNormalized(HttpRequest request) =>
        request.Query.TryGetValue("normalized", out var value) && (value == "true" || value == "1");

    private static string MediaType(HttpRequest request)
    {
        // Kestrel enforces the limit as it reads; this answers at once, on any server, when the length is declared.
        if (request.ContentLength > ServerOptions.MaxBodyBytes)
            throw TooLarge(request.ContentLength.Value);
        string? type = request.ContentType;
        if (string.IsNullOrWhiteSpace(type))
        {
            // No type and no body: the body is what is missing.
            if (request.ContentLength is 0 or null)
                throw new ApiProblem(400, "the request has no body; send an image, a multipart form with \"image\", or JSON");
            return "";
        }
        int semicolon = type.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? type[..semicolon] : type).Trim().ToLowerInvariant();
    }

    private static ApiProblem Unsupported(HttpRequest request, bool batch = false) => new(415,
        $"content type \"{request.ContentType}\" is not accepted; send " +
        (batch ? "a multipart form with \"image\" fields, or JSON {\"images\": [base64, …]}"
               : "an image (image/png, image/jpeg, image/bmp, image/gif, image/webp), a multipart form with \"image\", or JSON"));

    private static ApiProblem TooLarge(long bytes) =>
        new(413, $"the body is {bytes:N0} bytes, more than the {ServerOptions.MaxBodyBytes:N0} allowed (5 MB)");

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is long length and <= ServerOptions.MaxBodyBytes ? (int)length : 0);
        byte[] chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                // A body sent without its length (chunked) is cut off here, on any server.
                if (buffer.Length > ServerOptions.MaxBodyBytes)
                    throw TooLarge(buffer.Length);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        if (buffer.Length == 0)
            throw new ApiProblem(400, "the request body is empty");
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    private static async Task<byte[]> ReadFileAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream((int)Math.Min(file.Length, ServerOptions.MaxBodyBytes));
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new ApiProblem(e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) ? 413 : 400, "the multipart form cannot be read: " + e.Message);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, DigitsServer.Json, cancellationToken)
                ?? throw new ApiProblem(400, "the JSON body is null");
        }
        catch (JsonException e)
        {
            throw new ApiProblem(400, "the body is not the JSON expected: " + e.Message);
        }
    }
}
