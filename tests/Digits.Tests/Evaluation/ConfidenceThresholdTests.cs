using Digits.Data;
using Digits.Evaluation;
using Digits.Persistence;

namespace Digits.Tests.Evaluation;

public class ConfidenceThresholdTests
{
    // Five readings, most confident first: right, right, wrong, right, wrong.
    private static readonly double[] Confidences = [0.99, 0.95, 0.9, 0.8, 0.6];
    private static readonly bool[] Correct = [true, true, false, true, false];

    [Theory]
    [InlineData(1.0, 0.95)]   // 2 of 2 right; adding the 0.9 mistake drops to 2 of 3
    [InlineData(0.9, 0.95)]
    [InlineData(0.75, 0.8)]   // 3 of 4 right at 0.8; all five are 3 of 5
    [InlineData(0.6, 0.0)]    // all five together reach 3 of 5: no threshold is needed
    public void The_lowest_threshold_whose_ok_answers_reach_the_target_is_chosen(double target, double expected)
    {
        Assert.Equal(expected, ConfidenceThreshold.Lowest(Confidences, Correct, target));
    }

    [Fact]
    public void No_threshold_is_found_when_the_most_confident_reading_is_wrong_too_often()
    {
        Assert.Null(ConfidenceThreshold.Lowest([0.99, 0.5], [false, true], 0.6));
        Assert.Null(ConfidenceThreshold.Lowest([], [], 0.9));
    }

    [Fact]
    public void Readings_with_equal_confidence_are_kept_or_dropped_together()
    {
        // Keeping only the first 0.9 would be 2 of 2 right, but a threshold of 0.9 keeps both: 2 of 3.
        Assert.Equal(0.95, ConfidenceThreshold.Lowest([0.95, 0.9, 0.9, 0.5], [true, true, false, false], 0.9));
    }

    [Fact]
    public void An_exact_hit_of_the_target_counts_as_reaching_it()
    {
        // 998 of 1000 right is 0.998 exactly, however 0.998 × 1000 rounds.
        double[] confidences = [.. Enumerable.Range(0, 1000).Select(i => 1 - i / 2000.0)];
        bool[] correct = [.. Enumerable.Range(0, 1000).Select(i => i < 998)];

        Assert.Equal(0.0, ConfidenceThreshold.Lowest(confidences, correct, 0.998));
        // At 0.999 the first mistake (998 of 999 right) is already too many: keep the 998 right ones only.
        Assert.Equal(confidences[997], ConfidenceThreshold.Lowest(confidences, correct, 0.999));
    }

    [Fact]
    public void Mismatched_lengths_and_a_target_outside_0_to_1_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ConfidenceThreshold.Lowest([0.9], [true, false], 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceThreshold.Lowest([0.9], [true], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceThreshold.Lowest([0.9], [true], 1.5));
    }

    [Fact]
    public void On_a_folder_read_right_every_picture_with_a_digit_is_ok_and_a_blank_one_never_is()
    {
        using var tmp = new TempFolder();
        var folder = LabelledSamples(tmp, mislabel: null);

        var choice = ConfidenceThreshold.Choose(DigitModel.LoadDefault(), folder, 0.998);

        Assert.Equal(0.0, choice.MinConfidence);
        Assert.Equal(1.0, choice.Precision);
        Assert.Equal(7, choice.Count);
        Assert.Equal(6, choice.Readings);
        Assert.Equal(new Dictionary<string, int> { ["ok"] = 6, ["unsure"] = 0, ["no-digit"] = 1, ["error"] = 0 }, choice.Statuses);
        Assert.Equal(Path.GetFileName(tmp.Path), choice.Images);
    }

    [Fact]
    public void A_mislabelled_least_confident_picture_sets_the_threshold_just_above_it()
    {
        var model = DigitModel.LoadDefault();
        var confidences = Samples.Where(s => s.File != "blank-page.jpg")
            .ToDictionary(s => s.File, s => model.Predict(DigitModelTests.Sample(s.File)).Confidence!.Value);
        string least = confidences.MinBy(c => c.Value).Key;
        double next = confidences.Where(c => c.Key != least).Min(c => c.Value);
        Assert.True(next > confidences[least], "the test needs one least confident sample");
        using var tmp = new TempFolder();
        var folder = LabelledSamples(tmp, mislabel: least);

        var choice = ConfidenceThreshold.Choose(model, folder, 1.0);

        Assert.Equal(next, choice.MinConfidence);
        Assert.Equal(1.0, choice.Precision);
        Assert.Equal(5.0 / 6, choice.AccuracyOfReadings, 12);
        Assert.Equal(new Dictionary<string, int> { ["ok"] = 5, ["unsure"] = 1, ["no-digit"] = 1, ["error"] = 0 }, choice.Statuses);
        Assert.Equal(1.0 / 7, choice.UnsureShare, 12);
    }

    [Fact]
    public void The_basis_records_the_folder_name_and_what_the_threshold_does()
    {
        var choice = new ThresholdChoice(0.97, 0.998, 0.9983, "val-scans", 2000, 1990, 0.97,
            new Dictionary<string, int> { ["ok"] = 1700, ["unsure"] = 290, ["no-digit"] = 10, ["error"] = 0 });

        var meta = Digits.Tests.Persistence.ModelMetadataTests.Cnn() with { MinConfidence = choice.MinConfidence, MinConfidenceBasis = choice.BasisJson() };
        var back = ModelMetadata.FromDictionary(meta.ToDictionary(), "m.safetensors");

        Assert.Equal("""{"images":"val-scans","count":2000,"readings":1990,"target_precision":0.998,"precision":0.9983,"ok_share":0.85,"unsure_share":0.145}""", back.MinConfidenceBasis);
    }

    private static readonly (string File, string Label)[] Samples =
    [
        ("photo-3.jpg", "3"), ("photo-7-exif-rotated.jpg", "7"), ("canvas-2.png", "2"), ("canvas-5.png", "5"),
        ("font-4.png", "4"), ("font-7.jpg", "7"), ("blank-page.jpg", "0"),
    ];

    /// <summary>The samples in a labelled folder (labels.csv), the blank page labelled 0; <paramref name="mislabel"/>
    /// gets label 1, which none of them shows.</summary>
    private static ImageFolder LabelledSamples(TempFolder tmp, string? mislabel)
    {
        var lines = new List<string> { "file,label" };
        foreach (var (file, label) in Samples)
        {
            File.Copy(DigitModelTests.Sample(file), tmp.File(file));
            lines.Add($"{file},{(file == mislabel ? "1" : label)}");
        }
        File.WriteAllLines(tmp.File(ImageFolder.LabelsFile), lines);
        return ImageFolder.Read(tmp.Path, ModelMetadata.DigitLabels);
    }
}
