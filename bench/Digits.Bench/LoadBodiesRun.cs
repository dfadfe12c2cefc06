using System.Globalization;
using Digits.Data;
using Digits.Imaging;
using SkiaSharp;

namespace Digits.Bench;

/// <summary>
/// <c>-- load-bodies DATA OUT [N]</c>: the request bodies of the HTTP load test (<c>bench/load/run.sh</c>), N distinct
/// ones of each kind (1,000 by default) from the MNIST test images, so that no cache could answer a repeated body:
/// <list type="bullet">
/// <item><c>OUT/28/i.png</c>: the image as a 28×28 gray PNG, white ink on black, as a client that scales its own
/// canvas down sends it;</item>
/// <item><c>OUT/280/i.png</c>: the digit drawn as a 280×280 canvas drawing, black ink on white, RGBA with an opaque
/// page, as the web page sends it.</item>
/// </list>
/// and <c>OUT/bad/</c>: 100 malformed bodies (random bytes, truncated PNGs) for the mixed run.
/// </summary>
internal static class LoadBodiesRun
{
    public static void Print(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: load-bodies DATA OUT [N]");
            Environment.Exit(2);
        }
        int n = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = args[0], AllowDownload = false });
        LabeledImages test = store.LoadAsync(DatasetCatalog.Mnist).GetAwaiter().GetResult().Test;
        string small = Directory.CreateDirectory(Path.Combine(args[1], "28")).FullName;
        string canvas = Directory.CreateDirectory(Path.Combine(args[1], "280")).FullName;
        string bad = Directory.CreateDirectory(Path.Combine(args[1], "bad")).FullName;
        var labels = new List<string> { "file,label" };
        for (int i = 0; i < n; i++)
        {
            byte[] pixels = test.Image(i).ToArray();
            File.WriteAllBytes(Path.Combine(small, $"{i}.png"), ImageEncoder.EncodePng(new GrayImage(28, 28, pixels)));
            File.WriteAllBytes(Path.Combine(canvas, $"{i}.png"), Canvas(pixels));
            labels.Add($"{i}.png,{test.Labels[i]}");
        }
        File.WriteAllLines(Path.Combine(small, "labels.csv"), labels);
        File.WriteAllLines(Path.Combine(canvas, "labels.csv"), labels);
        var rng = new Random(7);
        byte[] sample = File.ReadAllBytes(Path.Combine(canvas, "0.png"));
        for (int i = 0; i < 100; i++)
        {
            byte[] body = i % 2 == 0 ? new byte[64 + rng.Next(4000)] : sample[..(sample.Length / 3 + i)];
            if (i % 2 == 0)
                rng.NextBytes(body);
            File.WriteAllBytes(Path.Combine(bad, $"{i}.bin"), body);
        }
        Console.WriteLine($"{n} 28x28 and {n} 280x280 bodies in {small} and {canvas}; 100 malformed in {bad}");
    }

    /// <summary>The digit as a canvas drawing: scaled ×10 onto a white 280×280 page, dark where the digit is bright.</summary>
    private static byte[] Canvas(byte[] pixels)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(280, 280, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < 280; y++)
        {
            for (int x = 0; x < 280; x++)
            {
                byte ink = pixels[y / 10 * 28 + x / 10];
                byte v = (byte)(255 - ink);
                bitmap.SetPixel(x, y, new SKColor(v, v, v, 255));
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
