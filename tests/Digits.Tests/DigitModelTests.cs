using Digits.Imaging;
using Digits.Persistence;
using Digits.Tests.Imaging;
using SkiaSharp;

namespace Digits.Tests;

/// <summary>
/// <see cref="DigitModel"/> with the bundled model, as a program using the library calls it. These tests assert
/// behaviour (the samples read right, a blank page is no-digit, every overload agrees), never the bundled model's
/// exact accuracy, so they hold when the bundled model is replaced.
/// </summary>
public class DigitModelTests
{
    private static readonly DigitModel Model = DigitModel.LoadDefault();

    internal static string Sample(string name) => Path.Combine(TestData.RepoRoot, "samples", name);

    /// <summary>The samples that show one digit, and that digit.</summary>
    public static TheoryData<string, int> DigitSamples => new()
    {
        { "photo-3.jpg", 3 },
        { "photo-7-exif-rotated.jpg", 7 },
        { "canvas-2.png", 2 },
        { "canvas-5.png", 5 },
        { "font-4.png", 4 },
        { "font-7.jpg", 7 },
    };

    [Fact]
    public void The_bundled_model_loads_once_as_a_calibrated_digit_cnn_with_its_threshold()
    {
        Assert.Same(Model, DigitModel.LoadDefault());
        Assert.Equal(DigitModel.BundledName, Model.Name);
        Assert.Equal(ModelKind.Cnn, Model.Classifier.Kind);
        Assert.Equal(ModelMetadata.DigitLabels, Model.Classifier.Labels);
        Assert.NotNull(Model.Metadata.MinConfidence);
        Assert.Equal(Model.Metadata.MinConfidence, Model.MinConfidence);
        Assert.InRange(Model.MinConfidence, 0, 1);
    }

    [Fact]
    public void The_bundled_model_file_is_under_2_mb_and_is_what_load_default_reads()
    {
        string path = Path.Combine(TestData.RepoRoot, "models", "digits-cnn.safetensors");
        Assert.InRange(new FileInfo(path).Length, 1, 2_000_000);

        var fromFile = DigitModel.Load(path);

        Assert.Equal(Model.Metadata, fromFile.Metadata);
        Assert.Equal(path, fromFile.Name);
    }

    [Theory]
    [MemberData(nameof(DigitSamples))]
    public void Each_sample_reads_as_its_digit_with_status_ok(string file, int digit)
    {
        var p = Model.Predict(Sample(file));

        Assert.Equal(PredictionStatus.Ok, p.Status);
        Assert.Equal(digit, p.Digit);
        Assert.Equal("ok", p.StatusName);
        Assert.Null(p.Reason);
        Assert.True(p.Confidence >= Model.MinConfidence, $"{file}: confidence {p.Confidence}");
        Assert.Equal(10, p.Probabilities!.Length);
        Assert.Equal(1.0, p.Probabilities.Sum(), 4);
        Assert.Equal(p.Probabilities.Max(), (float)p.Confidence!.Value);
        Assert.Equal(DigitImage.Pixels, p.Normalized!.Length);
    }

    [Fact]
    public void A_blank_page_answers_no_digit_with_no_guess()
    {
        var p = Model.Predict(Sample("blank-page.jpg"));

        Assert.Equal(PredictionStatus.NoDigit, p.Status);
        Assert.Equal("no-digit", p.StatusName);
        Assert.Null(p.Digit);
        Assert.Null(p.Confidence);
        Assert.Null(p.Probabilities);
        Assert.Null(p.Normalized);
        Assert.Null(p.BestGuess);
        Assert.Empty(p.Top(3));
        Assert.StartsWith("no digit found: nothing stands out", p.Reason);
    }

    [Fact]
    public void Two_digits_side_by_side_answer_unsure_with_a_reading_and_the_reason()
    {
        var p = Model.PredictImage(ImageEncoder.EncodePng(SyntheticDigits.InARow([4, 2])));

        Assert.Equal(PredictionStatus.Unsure, p.Status);
        Assert.Null(p.Digit);
        Assert.NotNull(p.Confidence);
        Assert.NotNull(p.Probabilities);
        Assert.NotNull(p.BestGuess);
        Assert.StartsWith("more than one digit", p.Reason);
    }

    [Fact]
    public void Unreadable_and_missing_files_answer_error_with_the_message_and_no_guess()
    {
        using var tmp = new TempFolder();
        string text = tmp.File("notes.png");
        File.WriteAllText(text, "not an image");

        var corrupt = Model.Predict(text);
        var missing = Model.Predict(tmp.File("nowhere.png"));

        Assert.Equal(PredictionStatus.Error, corrupt.Status);
        Assert.Equal("not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)", corrupt.Reason);
        Assert.Equal(PredictionStatus.Error, missing.Status);
        Assert.Equal("file not found", missing.Reason);
        Assert.All(new[] { corrupt, missing }, p => Assert.True(p.Digit is null && p.Confidence is null && p.Probabilities is null));
    }

    [Fact]
    public void Path_stream_bytes_and_batch_overloads_give_the_same_answers()
    {
        string[] files = [.. DigitSamples.Select(row => Sample((string)row[0])), Sample("blank-page.jpg")];
        var byPath = files.Select(f => Model.Predict(f)).ToArray();
        var byStream = files.Select(f =>
        {
            using var stream = File.OpenRead(f);
            return Model.Predict(stream);
        }).ToArray();
        var byBytes = files.Select(f => Model.PredictImage(File.ReadAllBytes(f))).ToArray();
        var batchOfPaths = Model.PredictBatch(files);
        var batchOfBytes = Model.PredictImageBatch(files.Select(File.ReadAllBytes));

        for (int i = 0; i < files.Length; i++)
        {
            Assert.Equal(byPath[i].Probabilities, byStream[i].Probabilities);
            Assert.Equal(byPath[i].Probabilities, byBytes[i].Probabilities);
            Assert.Equal(byPath[i].Normalized, byBytes[i].Normalized);
            foreach (var batched in new[] { batchOfPaths[i], batchOfBytes[i] })
            {
                Assert.Equal((byPath[i].Status, byPath[i].Digit), (batched.Status, batched.Digit));
                Assert.Equal(byPath[i].Normalized, batched.Normalized);
                if (byPath[i].Probabilities is { } single)
                {
                    for (int c = 0; c < single.Length; c++)
                        Assert.Equal(single[c], batched.Probabilities![c], 5);
                }
            }
        }
    }

    [Fact]
    public void A_batch_answers_in_input_order_and_goes_on_past_a_bad_file()
    {
        using var tmp = new TempFolder();
        string bad = tmp.File("bad.jpg");
        File.WriteAllBytes(bad, [0xFF, 0xD8, 0xFF]);

        var answers = Model.PredictBatch([Sample("canvas-5.png"), bad, Sample("photo-3.jpg"), Sample("blank-page.jpg")]);

        Assert.Equal([PredictionStatus.Ok, PredictionStatus.Error, PredictionStatus.Ok, PredictionStatus.NoDigit], answers.Select(a => a.Status));
        Assert.Equal([5, null, 3, null], answers.Select(a => a.Digit));
    }

    [Fact]
    public void Pixels_of_a_drawing_read_like_the_picture_and_blank_pixels_are_no_digit()
    {
        var fromFile = Model.Predict(Sample("canvas-2.png"));

        var fromPixels = Model.PredictPixels(fromFile.Normalized);
        var blank = Model.PredictPixels(new byte[DigitImage.Pixels]);

        Assert.Equal(PredictionStatus.Ok, fromPixels.Status);
        Assert.Equal(2, fromPixels.Digit);
        Assert.Equal(PredictionStatus.NoDigit, blank.Status);
        Assert.Throws<ArgumentException>(() => Model.PredictPixels(new byte[100]));
    }

    [Fact]
    public void A_drawing_off_centre_in_its_28x28_pixels_is_centred_before_the_model_sees_it()
    {
        // The canvas sample's 28×28 image shifted 5 px left and up: a drawing that does not fill the pad.
        var centred = Model.Predict(Sample("canvas-2.png")).Normalized!;
        var shifted = new byte[DigitImage.Pixels];
        for (int y = 5; y < DigitImage.Side; y++)
            centred.AsSpan(y * DigitImage.Side + 5, DigitImage.Side - 5).CopyTo(shifted.AsSpan((y - 5) * DigitImage.Side));

        var p = Model.PredictPixels(shifted, minConfidence: 0);

        Assert.Equal(2, p.Digit);
        var (x, yCentre) = SyntheticDigits.CentreOfMass(p.Normalized);
        Assert.InRange(x, 13, 15);
        Assert.InRange(yCentre, 13, 15);
    }

    [Fact]
    public void Min_confidence_0_never_answers_unsure_for_confidence_and_1_answers_ok_only_when_certain()
    {
        string[] files = [.. DigitSamples.Select(row => Sample((string)row[0]))];

        var lenient = Model.PredictBatch(files, minConfidence: 0);
        var strict = Model.PredictBatch(files, minConfidence: 1);
        var strictModel = Model.WithMinConfidence(1);

        Assert.All(lenient, p => Assert.Equal(PredictionStatus.Ok, p.Status));
        Assert.All(strict, p => Assert.Equal(p.Confidence >= 1 ? PredictionStatus.Ok : PredictionStatus.Unsure, p.Status));
        Assert.Contains(strict, p => p.Status == PredictionStatus.Unsure);
        var unsure = strict.First(p => p.Status == PredictionStatus.Unsure);
        Assert.Null(unsure.Digit);
        Assert.NotNull(unsure.Probabilities);
        Assert.StartsWith("confidence ", unsure.Reason);
        Assert.EndsWith("is below min_confidence 1", unsure.Reason);
        Assert.Equal(strict.Select(p => p.Status), files.Select(f => strictModel.Predict(f).Status));
        Assert.Equal(Model.MinConfidence, DigitModel.LoadDefault().MinConfidence);
    }

    [Fact]
    public void A_threshold_outside_0_to_1_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Predict(Sample("photo-3.jpg"), minConfidence: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.WithMinConfidence(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.PredictBatch([Sample("photo-3.jpg")], minConfidence: double.NaN));
    }

    [Fact]
    public void Top_lists_the_most_probable_digits_first()
    {
        var p = Model.Predict(Sample("font-4.png"));

        var top = p.Top(10);

        Assert.Equal(10, top.Count);
        Assert.Equal(4, top[0].Digit);
        Assert.Equal(p.Confidence, top[0].Probability);
        Assert.Equal(Enumerable.Range(0, 10), top.Select(d => d.Digit).Order());
        Assert.True(top.Zip(top.Skip(1)).All(pair => pair.First.Probability >= pair.Second.Probability));
        Assert.Single(p.Top(1));
    }

    [Fact]
    public void Explain_maps_the_28x28_input_and_refuses_an_answer_without_one()
    {
        var p = Model.Predict(Sample("photo-3.jpg"));

        float[] map = Model.Explain(p);

        Assert.Equal(DigitImage.Pixels, map.Length);
        Assert.Contains(map, v => v > 0);
        Assert.Throws<ArgumentException>(() => Model.Explain(Model.Predict(Sample("blank-page.jpg"))));
    }

    [Fact]
    public void A_model_whose_labels_are_not_the_digits_is_refused_naming_the_file()
    {
        using var tmp = new TempFolder();
        var bundled = SafeTensors.Read(Path.Combine(TestData.RepoRoot, "models", "digits-cnn.safetensors"));
        string letters = tmp.File("letters.safetensors");
        new SafeTensors(bundled.Tensors, new Dictionary<string, string>(bundled.Metadata)
        {
            ["labels"] = """["a","b","c","d","e","f","g","h","i","j"]""",
        }).Write(letters);

        var e = Assert.Throws<DigitsException>(() => DigitModel.Load(letters));

        Assert.Equal(letters, e.Subject);
        Assert.Contains("a digit model's labels are 0 to 9", e.Problem);
    }

    [Fact]
    public void A_photo_made_here_reads_as_its_digit_for_every_digit()
    {
        for (int digit = 0; digit <= 9; digit++)
        {
            using var photo = SyntheticDigits.Photo(digit, 300, 400, seed: digit);
            var p = Model.PredictImage(SyntheticDigits.Encode(photo, SKEncodedImageFormat.Png), minConfidence: 0);
            Assert.True(p.Digit == digit, $"a photo of {digit} read as {p.Digit} ({p.Confidence})");
        }
    }
}
