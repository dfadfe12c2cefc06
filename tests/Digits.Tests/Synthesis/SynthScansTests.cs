using System.Globalization;
using Digits.Data;
using Digits.Imaging;
using Digits.Synthesis;

namespace Digits.Tests.Synthesis;

/// <summary>synth-scans: MNIST digits as photos, deterministic for a seed, drawn only from the images they promise.</summary>
public class SynthScansTests
{
    private const int Count = 20;

    private static SynthSetResult Make(string folder, ScanSplit split, ulong seed, int count = Count) =>
        ScanSynthesizer.Write(folder, TestData.Mnist, split, seed, count);

    private static string[][] Rows(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, "labels.csv")).Skip(1).Select(l => l.Split(','))];

    [Fact]
    public void The_same_seed_gives_the_same_bytes()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        Make(a.Path, ScanSplit.Validation, seed: 7);
        Make(b.Path, ScanSplit.Validation, seed: 7);

        var names = Directory.GetFiles(a.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Count + 1, names.Length);
        Assert.Equal(names, Directory.GetFiles(b.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string? name in names)
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, name!)), File.ReadAllBytes(Path.Combine(b.Path, name!)));
    }

    [Fact]
    public void Different_seeds_give_different_pictures()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        Make(a.Path, ScanSplit.Test, seed: 1);
        Make(b.Path, ScanSplit.Test, seed: 2);

        var first = Rows(a.Path);
        var second = Rows(b.Path);
        Assert.NotEqual(first.Select(r => r[2]), second.Select(r => r[2]));
        int same = Enumerable.Range(0, Count).Count(i => first[i][0] == second[i][0]
            && File.ReadAllBytes(Path.Combine(a.Path, first[i][0])).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b.Path, second[i][0]))));
        Assert.Equal(0, same);
    }

    [Fact]
    public void Validation_scans_come_only_from_the_images_digits_train_cnn_holds_out()
    {
        using var folder = new TempFolder();
        Make(folder.Path, ScanSplit.Validation, seed: 3, count: 200);
        // Computed here the way TrainingSession.Prepare does for `digits train cnn` with its defaults.
        var (_, validation) = StratifiedSplit.Create(TestData.Mnist.Train.Labels, 0.1, 1);
        var held = validation.ToHashSet();

        var sources = Rows(folder.Path).Select(r => int.Parse(r[2], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(sources, s => Assert.Contains(s, held));
        Assert.Equal(sources.Length, sources.Distinct().Count());
        Assert.Equal(validation, ScanSynthesizer.ValidationIndices(TestData.Mnist.Train));
    }

    [Fact]
    public void Every_scan_names_its_MNIST_image_and_carries_its_label()
    {
        using var folder = new TempFolder();
        Make(folder.Path, ScanSplit.Test, seed: 4);

        foreach (var row in Rows(folder.Path))
            Assert.Equal(TestData.Mnist.Test.Labels[int.Parse(row[2], CultureInfo.InvariantCulture)], byte.Parse(row[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Labels_csv_has_a_header_and_one_row_per_picture()
    {
        using var folder = new TempFolder();
        var result = Make(folder.Path, ScanSplit.Test, seed: 5);

        var lines = File.ReadAllLines(result.Labels);
        Assert.Equal("file,label,source_index,height,canvas,rotation,pen,blur,format", lines[0]);
        Assert.Equal(Count + 1, lines.Length);
        for (int i = 0; i < Count; i++)
        {
            var row = lines[i + 1].Split(',');
            Assert.Equal(9, row.Length);
            Assert.Matches(@"^\d{6}\.(jpg|png)$", row[0]);
            Assert.Equal(i.ToString("D6", CultureInfo.InvariantCulture), row[0][..6]);
            Assert.True(File.Exists(Path.Combine(folder.Path, row[0])));
            Assert.Equal(row[8] == "png" ? ".png" : ".jpg", Path.GetExtension(row[0]));
        }
        Assert.Equal(Count, result.ClassCounts.Sum());
        var read = ImageFolder.Read(folder.Path, DatasetCatalog.Mnist.Labels);
        Assert.Equal(ImageFolderLayout.LabelsCsv, read.Layout);
        Assert.Equal(["source_index", "height", "canvas", "rotation", "pen", "blur", "format"], read.ExtraColumns);
    }

    [Fact]
    public void Drawn_parameters_stay_inside_the_fixed_ranges_and_reach_across_them()
    {
        var ranges = PhotoRanges.Fixed;
        var drawn = Enumerable.Range(0, 5000).Select(i => ScanSynthesizer.Parameters(11, i, ranges)).ToArray();

        Assert.All(drawn, p => Assert.True(p.IsWithin(ranges), p.ToString()));
        Assert.InRange(drawn.Min(p => p.DigitHeight), 30, 32);
        Assert.InRange(drawn.Max(p => p.DigitHeight), 380, 400);
        Assert.InRange(drawn.Min(p => p.RotationDegrees), -15, -14.5);
        Assert.InRange(drawn.Max(p => p.RotationDegrees), 14.5, 15);
        Assert.Equal([-1, 0, 1, 2, 3, 4], drawn.Select(p => p.PenChange).Distinct().Order());
        Assert.InRange(drawn.Max(p => p.BlurSigma), 1.45, 1.5);
        Assert.Equal(50, drawn.Where(p => p.JpegQuality is not null).Min(p => p.JpegQuality));
        Assert.Equal(95, drawn.Where(p => p.JpegQuality is not null).Max(p => p.JpegQuality));
        Assert.InRange(drawn.Count(p => p.JpegQuality is null) / 5000.0, 0.22, 0.28);
        Assert.All(drawn, p => Assert.True(p.CanvasWidth >= 1.5 * p.DigitHeight - 1 && p.CanvasHeight <= 3 * p.DigitHeight + 1));
    }

    [Fact]
    public void The_parameters_in_labels_csv_lie_in_the_fixed_ranges()
    {
        using var folder = new TempFolder();
        Make(folder.Path, ScanSplit.Validation, seed: 6, count: 40);
        var ranges = PhotoRanges.Fixed;

        foreach (var row in Rows(folder.Path))
        {
            double height = double.Parse(row[3], CultureInfo.InvariantCulture);
            Assert.InRange(height, ranges.DigitHeight.Min, ranges.DigitHeight.Max);
            var canvas = row[4].Split('x').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.All(canvas, side => Assert.InRange(side, 1.5 * height - 1, 3 * height + 1));
            Assert.InRange(double.Parse(row[5], CultureInfo.InvariantCulture), -15, 15);
            Assert.InRange(int.Parse(row[6], CultureInfo.InvariantCulture), -1, 4);
            Assert.InRange(double.Parse(row[7], CultureInfo.InvariantCulture), 0, 1.5);
            Assert.Matches(@"^(png|jpeg-(5\d|[6-8]\d|9[0-5]))$", row[8]);
            var decoded = ImageDecoder.Decode(Path.Combine(folder.Path, row[0]));
            Assert.Equal((canvas[0], canvas[1]), (decoded.Width, decoded.Height));
        }
    }

    [Fact]
    public void Scans_normalize_back_to_their_MNIST_digit()
    {
        using var folder = new TempFolder();
        Make(folder.Path, ScanSplit.Test, seed: 8, count: 30);

        var correlations = new List<double>();
        foreach (var row in Rows(folder.Path))
        {
            var input = DigitInput.FromFile(Path.Combine(folder.Path, row[0]));
            Assert.True(input.Status == DigitInputStatus.Ok, $"{row[0]}: {input.Status}, {input.Reason}");
            correlations.Add(Correlation(input.Pixels!, TestData.Mnist.Test.Image(int.Parse(row[2], CultureInfo.InvariantCulture))));
        }
        // The pen change, tilt and blur make each scan differ from its digit, but it is still that digit.
        Assert.True(correlations.Average() > 0.6, $"mean correlation {correlations.Average():F3}");
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(-1, -1)]
    public void The_pen_change_thickens_or_thins_the_strokes(int radius, int sign)
    {
        var digit = TestData.Mnist.Test.Image(0);
        var p = ScanSynthesizer.Parameters(1, 0, PhotoRanges.Fixed) with { DigitHeight = 100, PenChange = 0, RotationDegrees = 0 };
        long plain = InkMask.FromMnist(digit, p).Coverage.Sum(v => (long)v);
        long changed = InkMask.FromMnist(digit, p with { PenChange = radius }).Coverage.Sum(v => (long)v);

        Assert.Equal(sign, Math.Sign(changed - plain));
    }

    [Fact]
    public void A_count_past_the_pool_repeats_digits_only_after_using_every_one()
    {
        int[] pool = [5, 8, 13];
        var sources = ScanSynthesizer.ChooseSources(pool, 7, seed: 1);

        Assert.Equal(pool, sources[..3].Order());
        Assert.Equal(pool, sources[3..6].Order());
        Assert.Contains(sources[6], pool);
    }

    private static double Correlation(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length;
        mb /= b.Length;
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.Sqrt(aa * bb);
    }
}
