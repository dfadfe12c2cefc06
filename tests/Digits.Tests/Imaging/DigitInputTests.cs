using Digits.Imaging;

namespace Digits.Tests.Imaging;

/// <summary>The one input pipeline: a picture becomes the 28×28 image a model sees, or a status with a reason.</summary>
public class DigitInputTests
{
    [Fact]
    public void A_photo_of_one_digit_is_what_the_normalizer_makes_of_it()
    {
        string photo = Path.Combine(TestData.RepoRoot, "samples", "photo-3.jpg");

        var input = DigitInput.FromFile(photo);

        Assert.Equal(DigitInputStatus.Ok, input.Status);
        Assert.Equal("ok", input.StatusName);
        Assert.Null(input.Reason);
        Assert.Equal(input.Pixels, DigitInput.FromBytes(File.ReadAllBytes(photo)).Pixels);
        // The 900×1200 JPEG is decoded at half size (its longer side still over the normalizer's working size), which
        // the normalizer would have box-averaged to anyway: the digit comes out as from the full decode, give or take
        // a few gray levels at its edges.
        byte[] full = MnistNormalizer.Normalize(ImageDecoder.Decode(photo));
        double meanDifference = full.Zip(input.Pixels!, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanDifference, 0, 3);
    }

    [Fact]
    public void Two_digits_give_a_status_and_still_an_image()
    {
        var input = DigitInput.FromImage(SyntheticDigits.InARow([4, 2]));

        Assert.Equal(DigitInputStatus.MultipleDigits, input.Status);
        Assert.Equal("more-than-one-digit", input.StatusName);
        Assert.Equal("more than one digit: 2 separate marks of similar size side by side", input.Reason);
        Assert.Equal(DigitImage.Pixels, input.Pixels?.Length);
    }

    [Fact]
    public void A_blank_page_has_no_digit_and_no_image()
    {
        var input = DigitInput.FromImage(new GrayImage(200, 150, Enumerable.Repeat((byte)230, 200 * 150).ToArray()));

        Assert.Equal(DigitInputStatus.NoDigit, input.Status);
        Assert.False(input.HasDigit);
        Assert.StartsWith("no digit found: ", input.Reason);
    }

    [Fact]
    public void A_file_that_is_not_an_image_is_unreadable_with_the_reason()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("notes.png"), "not a picture");

        var text = DigitInput.FromFile(folder.File("notes.png"));
        var missing = DigitInput.FromFile(folder.File("none.png"));

        Assert.Equal((DigitInputStatus.Unreadable, "not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)"), (text.Status, text.Reason));
        Assert.Equal((DigitInputStatus.Unreadable, "file not found"), (missing.Status, missing.Reason));
        Assert.Equal(DigitInputStatus.Unreadable, DigitInput.FromBytes([]).Status);
    }

    [Fact]
    public void Many_files_are_read_in_parallel_and_answered_in_their_order()
    {
        using var folder = new TempFolder();
        var paths = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            string path = folder.File($"{i}.png");
            if (i % 5 == 4)
                File.WriteAllText(path, "broken");
            else
                ImageEncoder.SavePng(path, new GrayImage(28, 28, TestData.Mnist.Test.Image(i).ToArray()));
            paths.Add(path);
        }
        int reports = 0;

        var results = DigitInput.FromFiles(paths, progress: new Counter(() => Interlocked.Increment(ref reports)));

        Assert.Equal(12, reports);
        for (int i = 0; i < 12; i++)
            Assert.Equal(DigitInput.FromFile(paths[i]), results[i] with { }, new InputComparer());
    }

    private sealed class Counter(Action tick) : IProgress<int>
    {
        public void Report(int value) => tick();
    }

    private sealed class InputComparer : IEqualityComparer<DigitInputResult>
    {
        public bool Equals(DigitInputResult? a, DigitInputResult? b) =>
            a!.Status == b!.Status && a.Reason == b.Reason && (a.Pixels ?? []).AsSpan().SequenceEqual(b.Pixels ?? []);

        public int GetHashCode(DigitInputResult obj) => obj.Status.GetHashCode();
    }
}
