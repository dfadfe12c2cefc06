using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Digits.Web;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Digits.Tests.Web;

/// <summary>The HTTP API of <c>digits serve</c> (CONTRACT.md, "HTTP") through <see cref="WebApplicationFactory{TEntryPoint}"/>.</summary>
public class WebApiTests(WebApplicationFactory<Digits.Web.ServerMetrics> factory) : IClassFixture<WebApplicationFactory<Digits.Web.ServerMetrics>>
{
    private static string Sample(string name) => Path.Combine(TestData.RepoRoot, "samples", name);

    private static ByteArrayContent Image(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A problem document (RFC 7807) with the status, and a detail that contains <paramref name="detail"/>.</summary>
    private static async Task Problem(HttpResponseMessage response, HttpStatusCode status, string? detail = null)
    {
        var json = await Json(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        if (detail is not null)
            Assert.Contains(detail, json.GetProperty("detail").GetString());
        Assert.DoesNotContain("   at ", json.ToString());
    }

    [Fact]
    public async Task A_png_body_is_read_as_its_digit()
    {
        var client = factory.CreateClient();
        var json = await Json(await client.PostAsync("/api/predict", Image(File.ReadAllBytes(Sample("canvas-5.png")), "image/png")), HttpStatusCode.OK);

        Assert.Equal(5, json.GetProperty("digit").GetInt32());
        Assert.Equal("ok", json.GetProperty("status").GetString());
        Assert.Equal(DigitModel.BundledName, json.GetProperty("model").GetString());
        Assert.Equal(10, json.GetProperty("probabilities").GetArrayLength());
        Assert.False(json.TryGetProperty("normalized", out _));
        Assert.False(json.TryGetProperty("file", out _));
    }

    [Fact]
    public async Task A_multipart_image_field_is_read_as_curl_F_sends_it()
    {
        var client = factory.CreateClient();
        using var form = new MultipartFormDataContent { { Image(File.ReadAllBytes(Sample("font-7.jpg")), "image/jpeg"), "image", "font-7.jpg" } };

        var json = await Json(await client.PostAsync("/api/predict", form), HttpStatusCode.OK);

        Assert.Equal(7, json.GetProperty("digit").GetInt32());
    }

    [Fact]
    public async Task Json_with_a_base64_image_or_a_canvas_data_url_is_read()
    {
        var client = factory.CreateClient();
        string base64 = Convert.ToBase64String(File.ReadAllBytes(Sample("canvas-5.png")));

        var plain = await Json(await client.PostAsJsonAsync("/api/predict", new { image = base64 }), HttpStatusCode.OK);
        var dataUrl = await Json(await client.PostAsJsonAsync("/api/predict", new { image = "data:image/png;base64," + base64 }), HttpStatusCode.OK);

        Assert.Equal(5, plain.GetProperty("digit").GetInt32());
        Assert.Equal(5, dataUrl.GetProperty("digit").GetInt32());
    }

    [Fact]
    public async Task Json_pixels_are_read_as_a_28x28_drawing_and_normalized_is_given_when_asked()
    {
        var client = factory.CreateClient();
        byte[] three = Imaging.SyntheticDigits.MnistStyle(3);

        var json = await Json(await client.PostAsJsonAsync("/api/predict?normalized=true", new { pixels = three.Select(p => (int)p) }), HttpStatusCode.OK);

        Assert.Equal(3, json.GetProperty("digit").GetInt32());
        Assert.Equal(784, json.GetProperty("normalized").GetArrayLength());
        Assert.All(json.GetProperty("normalized").EnumerateArray(), v => Assert.InRange(v.GetInt32(), 0, 255));
    }

    [Fact]
    public async Task A_blank_page_is_a_normal_no_digit_answer_without_a_guess()
    {
        var client = factory.CreateClient();
        var json = await Json(await client.PostAsync("/api/predict", Image(File.ReadAllBytes(Sample("blank-page.jpg")), "image/jpeg")), HttpStatusCode.OK);

        Assert.Equal("no-digit", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("digit").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("confidence").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("probabilities").ValueKind);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_batch_answers_each_image_in_order_and_an_item_that_is_not_an_image_answers_error()
    {
        var client = factory.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { Image(File.ReadAllBytes(Sample("canvas-5.png")), "image/png"), "image", "a.png" },
            { Image(Encoding.UTF8.GetBytes("not a picture"), "image/png"), "image", "b.png" },
            { Image(File.ReadAllBytes(Sample("font-7.jpg")), "image/jpeg"), "image", "c.jpg" },
        };

        var json = await Json(await client.PostAsync("/api/predict/batch", form), HttpStatusCode.OK);

        var results = json.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(5, results[0].GetProperty("digit").GetInt32());
        Assert.Equal("error", results[1].GetProperty("status").GetString());
        Assert.Contains("not a decodable image", results[1].GetProperty("error").GetString());
        Assert.Equal(7, results[2].GetProperty("digit").GetInt32());
        Assert.Equal(DigitModel.BundledName, json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task A_json_batch_reads_base64_images_and_refuses_more_than_256()
    {
        var client = factory.CreateClient();
        string five = Convert.ToBase64String(File.ReadAllBytes(Sample("canvas-5.png")));

        var json = await Json(await client.PostAsJsonAsync("/api/predict/batch", new { images = new[] { five, "%%%" } }), HttpStatusCode.OK);
        var results = json.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(5, results[0].GetProperty("digit").GetInt32());
        Assert.Equal("error", results[1].GetProperty("status").GetString());

        await Problem(await client.PostAsJsonAsync("/api/predict/batch", new { images = Enumerable.Repeat(five, 257) }), HttpStatusCode.BadRequest, "at most 256");
    }

    [Fact]
    public async Task An_empty_body_is_400()
    {
        var client = factory.CreateClient();
        await Problem(await client.PostAsync("/api/predict", Image([], "image/png")), HttpStatusCode.BadRequest, "empty");
        await Problem(await client.PostAsync("/api/predict", null), HttpStatusCode.BadRequest, "no body");
    }

    [Fact]
    public async Task An_undecodable_image_is_400()
    {
        var client = factory.CreateClient();
        await Problem(await client.PostAsync("/api/predict", Image(Encoding.UTF8.GetBytes("hello"), "image/png")), HttpStatusCode.BadRequest, "not a decodable image");
        // A real PNG cut short: its header reads, its pixels do not.
        byte[] png = File.ReadAllBytes(Sample("canvas-5.png"));
        await Problem(await client.PostAsync("/api/predict", Image(png[..(png.Length / 2)], "image/png")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Pixels_of_the_wrong_length_or_range_are_400()
    {
        var client = factory.CreateClient();
        await Problem(await client.PostAsJsonAsync("/api/predict", new { pixels = new int[783] }), HttpStatusCode.BadRequest, "784 numbers");
        var tooBright = new int[784];
        tooBright[5] = 256;
        await Problem(await client.PostAsJsonAsync("/api/predict", new { pixels = tooBright }), HttpStatusCode.BadRequest, "[5] is 256");
    }

    [Fact]
    public async Task Bad_json_is_400()
    {
        var client = factory.CreateClient();
        await Problem(await client.PostAsync("/api/predict", new StringContent("{\"pixels\": [1, 2", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "not the JSON expected");
        await Problem(await client.PostAsync("/api/predict", new StringContent("{\"other\": 1}", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "\"image\"");
        await Problem(await client.PostAsync("/api/predict", new StringContent("{\"image\": \"%%%\"}", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "base64");
    }

    [Fact]
    public async Task A_body_over_5_MB_is_413()
    {
        var client = factory.CreateClient();
        var big = new byte[ServerOptions.MaxBodyBytes + 1];
        await Problem(await client.PostAsync("/api/predict", Image(big, "image/png")), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_unknown_content_type_is_415()
    {
        var client = factory.CreateClient();
        await Problem(await client.PostAsync("/api/predict", new StringContent("5", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await Problem(await client.PostAsync("/api/predict/batch", Image(File.ReadAllBytes(Sample("canvas-5.png")), "image/png")), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task An_image_over_40_megapixels_is_422_before_any_pixel_is_decoded()
    {
        var client = factory.CreateClient();
        await Problem(await client.PostAsync("/api/predict", Image(PngHeader(8000, 6000), "image/png")), HttpStatusCode.UnprocessableEntity, "more than the 40,000,000 allowed");
    }

    [Fact]
    public async Task Models_health_and_the_openapi_document_answer()
    {
        var client = factory.CreateClient();

        var models = await Json(await client.GetAsync("/api/models"), HttpStatusCode.OK);
        var model = Assert.Single(models.EnumerateArray());
        Assert.Equal(DigitModel.BundledName, model.GetProperty("name").GetString());
        Assert.Equal("cnn", model.GetProperty("kind").GetString());
        Assert.True(model.GetProperty("default").GetBoolean());
        Assert.InRange(model.GetProperty("test_accuracy").GetDouble(), 0.99, 1);
        Assert.Equal(10, model.GetProperty("labels").GetArrayLength());

        var health = await Json(await client.GetAsync("/healthz"), HttpStatusCode.OK);
        Assert.Equal("ok", health.GetProperty("status").GetString());

        var openApi = await Json(await client.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        var paths = openApi.GetProperty("paths");
        foreach (string path in new[] { "/api/predict", "/api/predict/batch", "/api/models", "/healthz", "/metrics" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        var reference = await client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Fact]
    public async Task Metrics_count_requests_by_endpoint_and_status_and_predictions_by_status()
    {
        using var own = new WebApplicationFactory<Digits.Web.ServerMetrics>();
        var client = own.CreateClient();
        await client.PostAsync("/api/predict", Image(File.ReadAllBytes(Sample("canvas-5.png")), "image/png"));
        await client.PostAsync("/api/predict", Image(File.ReadAllBytes(Sample("blank-page.jpg")), "image/jpeg"));
        await client.PostAsync("/api/predict", Image(Encoding.UTF8.GetBytes("hello"), "image/png"));

        var response = await client.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("digits_http_requests_total{endpoint=\"/api/predict\",status=\"200\"} 2", text);
        Assert.Contains("digits_http_requests_total{endpoint=\"/api/predict\",status=\"400\"} 1", text);
        Assert.Contains("digits_http_request_duration_seconds_bucket{endpoint=\"/api/predict\",status=\"200\",le=\"+Inf\"} 2", text);
        Assert.Contains("digits_predictions_total{status=\"ok\"} 1", text);
        Assert.Contains("digits_predictions_total{status=\"no-digit\"} 1", text);
    }

    [Fact]
    public async Task The_page_is_served_at_the_root()
    {
        var client = factory.CreateClient();
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A PNG whose header declares <paramref name="width"/> × <paramref name="height"/> and that holds no pixels.</summary>
    internal static byte[] PngHeader(int width, int height)
    {
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;   // bit depth
        ihdr[9] = 0;   // gray
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typeAndData);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
