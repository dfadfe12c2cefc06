using System.Text.Json;
using Digits.Imaging;

namespace Digits.Tests.Cli;

/// <summary><c>digits predict</c> as a script runs it: the JSON shapes of the contract, the exit codes, --csv, --top,
/// --min-confidence and --explain. They assert behaviour, not the bundled model's exact figures.</summary>
public class PredictCommandTests
{
    private static string Sample(string name) => DigitModelTests.Sample(name);

    private static readonly string[] ResultKeys = ["file", "digit", "confidence", "probabilities", "status", "top"];

    private static string[] Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void One_file_with_json_prints_one_result_in_the_contract_shape()
    {
        var r = CliRunner.Run("predict", Sample("photo-3.jpg"), "--json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var json = r.Json();
        Assert.Equal(ResultKeys, Keys(json));
        Assert.Equal(Sample("photo-3.jpg"), json.GetProperty("file").GetString());
        Assert.Equal(3, json.GetProperty("digit").GetInt32());
        Assert.Equal("ok", json.GetProperty("status").GetString());
        var probabilities = json.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToArray();
        Assert.Equal(10, probabilities.Length);
        Assert.Equal(1.0, probabilities.Sum(), 4);
        Assert.Equal(probabilities.Max(), json.GetProperty("confidence").GetDouble());
        Assert.Equal(3, json.GetProperty("top").GetArrayLength());
        Assert.Equal(3, json.GetProperty("top")[0].GetProperty("digit").GetInt32());
    }

    [Fact]
    public void A_folder_is_one_batch_with_the_bundled_model_named_and_every_sample_read_right()
    {
        var r = CliRunner.Run("predict", Path.Combine(TestData.RepoRoot, "samples"), "--json");

        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        Assert.Equal(["model", "results"], Keys(json));
        Assert.Equal("bundled:digits-cnn", json.GetProperty("model").GetString());
        var results = json.GetProperty("results").EnumerateArray().ToArray();
        var files = results.Select(e => Path.GetFileName(e.GetProperty("file").GetString()!)).ToArray();
        Assert.Equal(files.Order(StringComparer.Ordinal), files);
        foreach (var row in DigitModelTests.DigitSamples)
        {
            var result = results.Single(e => Path.GetFileName(e.GetProperty("file").GetString()) == (string)row[0]);
            Assert.Equal("ok", result.GetProperty("status").GetString());
            Assert.Equal((int)row[1], result.GetProperty("digit").GetInt32());
        }
        var blank = results.Single(e => Path.GetFileName(e.GetProperty("file").GetString()) == "blank-page.jpg");
        Assert.Equal("no-digit", blank.GetProperty("status").GetString());
        foreach (string key in new[] { "digit", "confidence", "probabilities" })
            Assert.Equal(JsonValueKind.Null, blank.GetProperty(key).ValueKind);
        Assert.StartsWith("no digit found", blank.GetProperty("reason").GetString());
        Assert.Equal(0, blank.GetProperty("top").GetArrayLength());
    }

    [Fact]
    public void A_blank_page_alone_is_a_normal_answer_with_exit_0()
    {
        var r = CliRunner.Run("predict", Sample("blank-page.jpg"));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.StartsWith($"{Sample("blank-page.jpg")}: no digit found: nothing stands out", r.Stdout.Trim());
    }

    [Fact]
    public void An_unreadable_file_answers_error_the_batch_goes_on_and_the_exit_code_is_1()
    {
        using var tmp = new TempFolder();
        File.Copy(Sample("canvas-5.png"), tmp.File("a.png"));
        File.WriteAllText(tmp.File("b.png"), "not an image");
        File.Copy(Sample("photo-3.jpg"), tmp.File("c.jpg"));

        var r = CliRunner.Run("predict", tmp.Path, "--json");

        Assert.Equal(1, r.ExitCode);
        var results = r.Json().GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(["ok", "error", "ok"], results.Select(e => e.GetProperty("status").GetString()));
        Assert.Equal([5, 3], new[] { results[0], results[2] }.Select(e => e.GetProperty("digit").GetInt32()));
        Assert.Equal("not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)", results[1].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("confidence").ValueKind);
        Assert.Equal($"error: {tmp.File("b.png")}: not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)", r.Stderr.Trim());
    }

    [Fact]
    public void One_unreadable_file_prints_its_error_result_and_exits_1()
    {
        using var tmp = new TempFolder();
        string bad = tmp.File("bad.jpg");
        File.WriteAllBytes(bad, [0xFF, 0xD8, 0xFF, 0xE0]);

        var r = CliRunner.Run("predict", bad, "--json");

        Assert.Equal(1, r.ExitCode);
        var json = r.Json();
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Equal(["file", "digit", "confidence", "probabilities", "status", "error", "top"], Keys(json));
        Assert.StartsWith($"error: {bad}: ", r.Stderr.Trim());
    }

    [Fact]
    public void Csv_has_a_row_per_picture_with_empty_fields_where_there_is_no_answer()
    {
        using var tmp = new TempFolder();
        string csv = tmp.File("out/answers.csv");

        var r = CliRunner.Run("predict", Sample("font-4.png"), Sample("blank-page.jpg"), "--csv", csv);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"wrote {csv}", r.Stderr);
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal(3, lines.Length);
        Assert.Equal("file,digit,confidence,status,reason", lines[0]);
        string[] four = lines[1].Split(',');
        Assert.Equal([Sample("font-4.png"), "4"], four[..2]);
        Assert.InRange(double.Parse(four[2], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1);
        Assert.Equal(["ok", ""], four[3..]);
        Assert.StartsWith($"{Sample("blank-page.jpg")},,,no-digit,no digit found: nothing stands out", lines[2]);
        Assert.Empty(Directory.GetFiles(tmp.File("out"), "*.tmp-*"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void Top_k_shows_that_many_digits_in_words_and_in_json(int k)
    {
        string top = k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var text = CliRunner.Run("predict", Sample("canvas-2.png"), "--top", top);
        var json = CliRunner.Run("predict", Sample("canvas-2.png"), "--top", top, "--json");

        Assert.Equal(0, text.ExitCode);
        string listed = text.Stdout.Trim().Split($"top {k}: ")[1];
        Assert.Equal(k, listed.Split(", ").Length);
        Assert.StartsWith("2 ", listed);
        Assert.Equal(k, json.Json().GetProperty("top").GetArrayLength());
    }

    [Fact]
    public void Min_confidence_0_never_answers_unsure_for_confidence_and_1_answers_unsure_below_certainty()
    {
        string folder = Path.Combine(TestData.RepoRoot, "samples");

        var lenient = CliRunner.Run("predict", folder, "--min-confidence", "0", "--json").Json().GetProperty("results").EnumerateArray().ToArray();
        var strict = CliRunner.Run("predict", folder, "--min-confidence", "1", "--json").Json().GetProperty("results").EnumerateArray().ToArray();

        Assert.All(lenient.Where(e => e.GetProperty("status").GetString() != "no-digit"), e => Assert.Equal("ok", e.GetProperty("status").GetString()));
        var readings = strict.Where(e => e.GetProperty("status").GetString() != "no-digit").ToArray();
        Assert.All(readings, e => Assert.Equal(e.GetProperty("confidence").GetDouble() >= 1 ? "ok" : "unsure", e.GetProperty("status").GetString()));
        var unsure = readings.First(e => e.GetProperty("status").GetString() == "unsure");
        Assert.Equal(JsonValueKind.Null, unsure.GetProperty("digit").ValueKind);
        Assert.Equal(JsonValueKind.Number, unsure.GetProperty("confidence").ValueKind);
        Assert.Contains("is below min_confidence 1", unsure.GetProperty("reason").GetString());
    }

    [Fact]
    public void Human_output_names_each_file_its_digit_and_status_and_sums_up_a_batch()
    {
        var r = CliRunner.Run("predict", Sample("photo-7-exif-rotated.jpg"), Sample("blank-page.jpg"), Sample("canvas-5.png"));

        Assert.Equal(0, r.ExitCode);
        string[] lines = r.Stdout.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"{Sample("photo-7-exif-rotated.jpg")}: 7 (", lines[0]);
        Assert.Contains(") ok; top 3: 7 ", lines[0]);
        Assert.StartsWith($"{Sample("blank-page.jpg")}: no digit found", lines[1]);
        Assert.StartsWith($"{Sample("canvas-5.png")}: 5 (", lines[2]);
        Assert.StartsWith("3 pictures: 2 ok, 0 unsure, 1 no digit, 0 error; model bundled:digits-cnn, min_confidence ", lines[3]);
    }

    [Fact]
    public void Explain_writes_the_input_and_its_occlusion_map_as_one_png()
    {
        using var tmp = new TempFolder();
        string png = tmp.File("why.png");

        var r = CliRunner.Run("predict", Sample("photo-3.jpg"), "--explain", png, "--json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(png, r.Json().GetProperty("explain").GetString());
        Assert.Contains($"wrote {png} (where the model reads 3)", r.Stderr);
        var picture = ImageDecoder.Decode(png);
        Assert.True(picture.Width > 2 * 28 * 10 && picture.Height > 28 * 10, $"{picture.Width}x{picture.Height}");
    }

    [Fact]
    public void Explain_of_a_blank_page_writes_nothing_and_says_why()
    {
        using var tmp = new TempFolder();
        string png = tmp.File("why.png");

        var r = CliRunner.Run("predict", Sample("blank-page.jpg"), "--explain", png);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: --explain: {Sample("blank-page.jpg")} answers no-digit, so there is no digit to explain; nothing was written", r.Stderr.Trim());
        Assert.False(File.Exists(png));
    }

    [Fact]
    public void Model_names_another_file_and_its_path_is_the_batch_model()
    {
        string model = Path.Combine(TestData.RepoRoot, "models", "digits-cnn.safetensors");

        var r = CliRunner.Run("predict", Sample("canvas-2.png"), Sample("font-7.jpg"), "--model", model, "--json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(model, r.Json().GetProperty("model").GetString());
        Assert.Equal([2, 7], r.Json().GetProperty("results").EnumerateArray().Select(e => e.GetProperty("digit").GetInt32()));
    }
}
