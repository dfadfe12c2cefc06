using Digits.Imaging;
using Digits.Tests.Imaging;

namespace Digits.Tests.Cli;

public class PreprocessCommandTests
{
    private static string Sample(string name) => Path.Combine(TestData.RepoRoot, "samples", name);

    [Fact]
    public void A_phone_style_photo_becomes_a_centred_28x28_png_and_a_preview()
    {
        using var tmp = new TempFolder();
        string output = tmp.File("digit.png");
        var r = CliRunner.Run("preprocess", Sample("photo-7-exif-rotated.jpg"), "--out", output, "--preview", "--json");
        Assert.Equal(0, r.ExitCode);
        var json = r.Json();
        Assert.Equal(output, json.GetProperty("out").GetString());
        var com = json.GetProperty("centre_of_mass");
        Assert.InRange(com[0].GetDouble(), 13.5, 14.5);
        Assert.InRange(com[1].GetDouble(), 13.5, 14.5);

        var digit = ImageDecoder.Decode(output);
        Assert.Equal((28, 28), (digit.Width, digit.Height));
        Assert.True(digit[0, 0] < 16, "background must be black, as in MNIST");
        Assert.True(digit.Pixels.Max() > 200, "ink must be white");
        var preview = ImageDecoder.Decode(json.GetProperty("preview").GetString()!);
        Assert.Equal((280, 280), (preview.Width, preview.Height));
    }

    [Fact]
    public void Undecodable_file_is_one_error_line_and_exit_1()
    {
        using var tmp = new TempFolder();
        string bad = tmp.File("bad.png");
        File.WriteAllText(bad, "not an image");
        var r = CliRunner.Run("preprocess", bad, "--out", tmp.File("x.png"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {bad}: not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)", r.Stderr.Trim());
        Assert.False(File.Exists(tmp.File("x.png")));
    }

    [Fact]
    public void A_blank_image_says_no_digit_was_found()
    {
        using var tmp = new TempFolder();
        string blank = tmp.File("blank.png");
        ImageEncoder.SavePng(blank, new GrayImage(50, 40, Enumerable.Repeat((byte)230, 2000).ToArray()));
        var r = CliRunner.Run("preprocess", blank, "--out", tmp.File("x.png"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: blank.png: no digit found: nothing stands out from the paper (blank or too faint)", r.Stderr.Trim());
    }

    [Fact]
    public void A_lone_speck_is_one_error_line_saying_no_digit_was_found()
    {
        using var tmp = new TempFolder();
        string speck = tmp.File("speck.png");
        var pixels = Enumerable.Repeat((byte)240, 400 * 300).ToArray();
        for (int y = 100; y < 105; y++)
        {
            for (int x = 200; x < 204; x++)
                pixels[y * 400 + x] = 30;
        }
        ImageEncoder.SavePng(speck, new GrayImage(400, 300, pixels));

        var r = CliRunner.Run("preprocess", speck, "--out", tmp.File("x.png"));

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: speck.png: no digit found: only a speck of ink, 4×6 px", r.Stderr.Trim());
        Assert.DoesNotContain("internal", r.Stderr);
        Assert.False(File.Exists(tmp.File("x.png")));
    }

    [Fact]
    public void Two_digits_side_by_side_are_one_error_line_saying_more_than_one_digit_was_found()
    {
        using var tmp = new TempFolder();
        string pair = tmp.File("forty-two.png");
        ImageEncoder.SavePng(pair, SyntheticDigits.InARow([4, 2]));

        var r = CliRunner.Run("preprocess", pair, "--out", tmp.File("x.png"), "--json");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: forty-two.png: more than one digit found: 2 separate marks of similar size side by side", r.Stderr.Trim());
        Assert.DoesNotContain("internal", r.Stderr);
        Assert.Equal("", r.Stdout);
        Assert.False(File.Exists(tmp.File("x.png")));
    }

    [Fact]
    public void Missing_out_is_a_usage_error()
    {
        var r = CliRunner.Run("preprocess", Sample("canvas-2.png"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--out", r.Stderr);
    }

    [Fact]
    public void Data_show_writes_a_labelled_grid_png()
    {
        using var tmp = new TempFolder();
        string output = tmp.File("grid.png");
        var r = CliRunner.Run("data", "show", "--data", TestData.MnistDirectory, "--split", "test", "--from", "10", "--count", "12", "--columns", "4", "--out", output, "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(12, r.Json().GetProperty("count").GetInt32());
        var grid = ImageDecoder.Decode(output);
        Assert.True(grid.Width > 4 * 28 * 3 && grid.Height > 3 * 28 * 3, $"{grid.Width}x{grid.Height}");
    }

    [Fact]
    public void Data_show_rejects_a_start_past_the_end()
    {
        var r = CliRunner.Run("data", "show", "--data", TestData.MnistDirectory, "--from", "10000", "--out", "/tmp/never.png");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --from: must be below 10000 (the test split's size), got 10000", r.Stderr.Trim());
    }
}
