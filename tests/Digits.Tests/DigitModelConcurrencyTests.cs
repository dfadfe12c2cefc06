using Digits.Imaging;
using Digits.Tests.Imaging;
using SkiaSharp;

namespace Digits.Tests;

/// <summary>
/// One loaded <see cref="DigitModel"/> shared by many threads, as a web server shares it between requests, must give
/// every caller the answer it would give alone.
/// </summary>
public class DigitModelConcurrencyTests
{
    private const int Threads = 8;
    private const int PredictionsPerThread = 200;

    [Fact]
    public void Eight_threads_sharing_one_model_get_the_same_answers_as_one_thread()
    {
        using var tmp = new TempFolder();
        var model = DigitModel.LoadDefault();
        var inputs = VariedInputs(tmp);
        var expected = inputs.Select(input => input.Predict(model)).ToArray();
        Assert.Equal([PredictionStatus.Ok, PredictionStatus.Unsure, PredictionStatus.NoDigit], expected.Select(p => p.Status).Distinct().Order());

        var got = new Prediction[Threads][];
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var answers = new Prediction[PredictionsPerThread];
            start.SignalAndWait();
            for (int i = 0; i < PredictionsPerThread; i++)
                answers[i] = inputs[(t * 7 + i) % inputs.Count].Predict(model);
            got[t] = answers;
        })).ToArray();
        foreach (var worker in workers)
            worker.Start();
        foreach (var worker in workers)
            worker.Join();

        for (int t = 0; t < Threads; t++)
        {
            for (int i = 0; i < PredictionsPerThread; i++)
            {
                int input = (t * 7 + i) % inputs.Count;
                var want = expected[input];
                var have = got[t][i];
                Assert.True(want.Status == have.Status && want.Digit == have.Digit && want.Confidence == have.Confidence,
                    $"thread {t}, prediction {i} ({inputs[input].Name}): {have.StatusName} {have.Digit} {have.Confidence}, alone {want.StatusName} {want.Digit} {want.Confidence}");
                Assert.Equal(want.Probabilities, have.Probabilities);
            }
        }
    }

    /// <summary>One picture and the overload it is given through, so the threads mix every way in.</summary>
    private sealed record Input(string Name, Func<DigitModel, Prediction> Predict);

    /// <summary>
    /// 24 different pictures, small so that decoding does not swamp the test: photos drawn here of every digit as
    /// encoded bytes and as 28×28 pixels, a sample by path and as a stream, two digits side by side and a blank page,
    /// so that every overload and ok, unsure and no-digit answers all cross threads.
    /// </summary>
    private static List<Input> VariedInputs(TempFolder tmp)
    {
        var model = DigitModel.LoadDefault();
        var inputs = new List<Input>();
        for (int digit = 0; digit <= 9; digit++)
        {
            using var photo = SyntheticDigits.Photo(digit, 80, 100, seed: 40 + digit,
                new SyntheticDigits.PhotoStyle(RotationDegrees: digit - 5, Stroke: 10 + digit));
            byte[] png = SyntheticDigits.Encode(photo, SKEncodedImageFormat.Png);
            inputs.Add(new Input($"photo of {digit}", m => m.PredictImage(png)));
            byte[] pixels = model.PredictImage(png).Normalized!;
            inputs.Add(new Input($"pixels of {digit}", m => m.PredictPixels(pixels)));
        }
        string font = Path.Combine(TestData.RepoRoot, "samples", "font-4.png");
        byte[] fontBytes = File.ReadAllBytes(font);
        inputs.Add(new Input("font-4.png", m => m.Predict(font)));
        inputs.Add(new Input("font-4.png as a stream", m => m.Predict(new MemoryStream(fontBytes))));
        string pair = tmp.File("forty-two.png");
        ImageEncoder.SavePng(pair, Quarter(SyntheticDigits.InARow([4, 2])));
        inputs.Add(new Input("forty-two.png", m => m.Predict(pair)));
        byte[] blank = ImageEncoder.EncodePng(new GrayImage(120, 90, Enumerable.Repeat((byte)235, 120 * 90).ToArray()));
        inputs.Add(new Input("blank page", m => m.PredictImage(blank)));
        return inputs;
    }

    /// <summary>Every fourth pixel of every fourth row: the picture at a quarter of its size.</summary>
    private static GrayImage Quarter(GrayImage image)
    {
        int width = image.Width / 4, height = image.Height / 4;
        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
                pixels[y * width + x] = image[4 * x, 4 * y];
        }
        return new GrayImage(width, height, pixels);
    }
}
