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
    /// 20 different pictures: the samples by path, photos drawn here of every digit as encoded bytes and as 28×28
    /// pixels, two digits side by side and a blank page, so that ok, unsure and no-digit answers all cross threads.
    /// </summary>
    private static List<Input> VariedInputs(TempFolder tmp)
    {
        var inputs = new List<Input>();
        foreach (string file in Directory.GetFiles(Path.Combine(TestData.RepoRoot, "samples")).Order(StringComparer.Ordinal))
            inputs.Add(new Input(Path.GetFileName(file), m => m.Predict(file)));
        for (int digit = 0; digit <= 9; digit++)
        {
            using var photo = SyntheticDigits.Photo(digit, 160, 200, seed: 40 + digit,
                new SyntheticDigits.PhotoStyle(RotationDegrees: digit - 5, Stroke: 10 + digit));
            byte[] png = SyntheticDigits.Encode(photo, SKEncodedImageFormat.Png);
            inputs.Add(new Input($"photo of {digit}", m => m.PredictImage(png)));
        }
        using var eight = SyntheticDigits.Photo(8, 120, 160, seed: 3);
        var drawn = DigitModel.LoadDefault().PredictImage(SyntheticDigits.Encode(eight, SKEncodedImageFormat.Png)).Normalized!;
        inputs.Add(new Input("pixels of an 8", m => m.PredictPixels(drawn)));
        string pair = tmp.File("forty-two.png");
        ImageEncoder.SavePng(pair, SyntheticDigits.InARow([4, 2]));
        inputs.Add(new Input("forty-two.png", m => m.Predict(pair)));
        using (var stream = File.OpenRead(Path.Combine(TestData.RepoRoot, "samples", "photo-3.jpg")))
        {
            byte[] photo3 = new byte[stream.Length];
            stream.ReadExactly(photo3);
            inputs.Add(new Input("photo-3.jpg as a stream", m => m.Predict(new MemoryStream(photo3))));
        }
        return inputs;
    }
}
