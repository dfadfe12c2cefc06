using Digits.Data;
using Digits.Evaluation;
using Digits.Imaging;

namespace Digits.Tests.Evaluation;

public class GalleryTests
{
    [Fact]
    public void A_caption_spells_out_index_true_label_and_the_label_read_with_its_probability() =>
        Assert.Equal("#4176\ntrue 2\nread 7 95%", Gallery.Caption(4176, "2", "7", 0.9512f));

    [Fact]
    public void A_near_certain_mistake_keeps_a_decimal_instead_of_reading_100_percent() =>
        Assert.Equal("#12345\ntrue nine\nread four 99.7%", Gallery.Caption(12345, "nine", "four", 0.9968f));

    [Fact]
    public void The_heading_names_model_and_set_and_explains_the_captions()
    {
        string[] heading = Gallery.Heading("cnn-fast", "MNIST test", 48, 211, 10_000);

        Assert.Equal("Most confident mistakes of cnn-fast on MNIST test: 48 of 211 errors in 10,000 images", heading[0]);
        Assert.Equal("Under each image: #index in MNIST test, the true label, the label the model read and its probability.", heading[1]);
    }

    [Fact]
    public void SaveMistakes_draws_the_mistakes_most_confident_first_under_the_heading()
    {
        using var tmp = new TempFolder();
        var set = new LabeledImages(new byte[4 * 784], [0, 1, 2, 1], 28, 28, 3);
        float[] probabilities =
        [
            0.9f, 0.05f, 0.05f, // right
            0.6f, 0.3f, 0.1f,   // wrong at 60%
            0.05f, 0.9f, 0.05f, // wrong at 90%: shown first
            0.1f, 0.8f, 0.1f,   // right
        ];
        var result = Metrics.Evaluate(set.Labels, probabilities, ["0", "1", "2"]);
        string path = tmp.File("errors.png");

        int shown = Gallery.SaveMistakes(path, set, result, ["0", "1", "2"], "toy", "a hand-made set", count: 48);

        Assert.Equal(2, shown);
        var page = ImageDecoder.Decode(File.ReadAllBytes(path), path);
        var heading = Gallery.Heading("toy", "a hand-made set", 2, 2, 4);
        int longest = new[] { Gallery.Caption(2, "2", "1", 0.9f), Gallery.Caption(1, "1", "0", 0.6f) }
            .SelectMany(c => c.Split('\n')).Max(l => l.Length);
        Assert.Equal(DigitGrid.Measure(2, 2, 3, longest, captionLines: 3, heading: heading), (page.Width, page.Height));
    }

    [Fact]
    public void SaveMistakes_without_mistakes_writes_a_heading_that_says_so()
    {
        using var tmp = new TempFolder();
        var set = new LabeledImages(new byte[784], [1], 28, 28, 2);
        var result = Metrics.Evaluate(set.Labels, [0.2f, 0.8f], ["0", "1"]);

        int shown = Gallery.SaveMistakes(tmp.File("none.png"), set, result, ["0", "1"], "toy", "one image");

        Assert.Equal(0, shown);
        Assert.Equal("No mistakes to show.", Gallery.Heading("toy", "one image", 0, 0, 1)[1]);
        Assert.True(File.Exists(tmp.File("none.png")));
    }

    [Fact]
    public void SaveMistakes_refuses_a_set_other_than_the_one_scored()
    {
        var set = new LabeledImages(new byte[2 * 784], [0, 1], 28, 28, 2);
        var result = Metrics.Evaluate([0], [1f, 0f], ["0", "1"]);

        Assert.Throws<ArgumentException>(() => Gallery.SaveMistakes("x.png", set, result, ["0", "1"], "toy", "two images"));
    }
}
