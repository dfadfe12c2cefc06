using System.Diagnostics;
using System.Globalization;
using Digits.Data;
using Digits.Imaging;
using Digits.Persistence;
using Digits.Synthesis;
using Digits.Tensors;

namespace Digits.Bench;

/// <summary>
/// Times the input pipeline of <c>predict</c> on one thread, stage by stage: decode (<see cref="ImageDecoder"/>),
/// normalize (<see cref="MnistNormalizer"/>) and predict (the model's forward pass on the 28×28 image), on five named
/// files it writes first into OUT, so that every run times the same bytes:
/// <list type="bullet">
/// <item><c>scan-0.15mp.jpg</c> and <c>scan-0.15mp.png</c>: MNIST test #0 photographed on paper as synth-scans does
/// (448×336, digit 120 px tall, the first synth-scans test picture's paper, light and noise);</item>
/// <item><c>canvas-280.png</c>: <c>samples/canvas-5.png</c>, a 280×280 RGBA drawing;</item>
/// <item><c>mnist-28.png</c>: MNIST test #1 as a 28×28 gray PNG;</item>
/// <item><c>phone-12mp.jpg</c>: MNIST test #2 photographed at 4000×3000, digit 1,200 px tall, JPEG quality 90.</item>
/// </list>
/// Each stage is the median of many calls after a second of warm-up; "alloc" is the bytes one decode plus normalize
/// allocates in steady state. Usage: <c>-- pipeline DATA OUT [MODEL]</c> (the bundled model by default; run from the
/// repository root so that <c>samples/</c> is found). With the environment variable <c>PIPELINE_PARTS</c> set, each
/// file also gets the ink extraction and the mark measuring timed on their own.
/// </summary>
internal static class PipelineRun
{
    public static void Print(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: pipeline DATA OUT [MODEL]");
            Environment.Exit(2);
        }
        WorkerPool.Threads = 1;
        var model = args.Length > 2 ? DigitModel.Load(args[2]) : DigitModel.LoadDefault();
        var files = WriteFiles(args[0], args[1]);
        Console.WriteLine($"# {Environment.ProcessorCount} cores, one thread; medians in ms; model {model.Name}");
        Console.WriteLine($"{"file",-16} {"decoded",10} {"decode",8} {"normalize",10} {"dec+norm",9} {"predict",8} {"alloc B",9}  digit");
        foreach (var (name, bytes) in files)
        {
            Console.WriteLine(Measure(model, name, bytes));
        }
    }

    /// <summary>
    /// <c>-- normalize-dump DIR OUT.bin</c>: what the input pipeline (<see cref="DigitInput.FromFile"/>) makes of every
    /// file of a labelled folder, one status byte and 784 pixels (zero without a digit) per file in labels.csv order,
    /// so that two builds' outputs can be compared byte for byte (<c>-- normalize-compare A.bin B.bin</c>).
    /// </summary>
    public static void Dump(string[] args)
    {
        var files = ImageFolder.Read(args[0], [.. Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture))]).Files;
        using var output = File.Create(args[1]);
        var record = new byte[1 + 784];
        var results = DigitInput.FromFiles([.. files.Select(f => f.Path)]);
        foreach (var result in results)
        {
            Array.Clear(record);
            record[0] = (byte)result.Status;
            result.Pixels?.CopyTo(record, 1);
            output.Write(record);
        }
        Console.WriteLine($"{results.Length} files to {args[1]}");
    }

    /// <summary><c>-- normalize-compare A.bin B.bin</c>: how many records differ, in status or in pixels, and by how much.</summary>
    public static void Compare(string[] args)
    {
        byte[] a = File.ReadAllBytes(args[0]), b = File.ReadAllBytes(args[1]);
        int n = Math.Min(a.Length, b.Length) / 785, status = 0, pixels = 0, worst = 0;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            if (a[i * 785] != b[i * 785])
            {
                status++;
                continue;
            }
            int largest = 0;
            for (int p = 1; p < 785; p++)
            {
                int d = Math.Abs(a[i * 785 + p] - b[i * 785 + p]);
                largest = Math.Max(largest, d);
                total += d;
            }
            pixels += largest > 0 ? 1 : 0;
            worst = Math.Max(worst, largest);
        }
        Console.WriteLine($"{n} records: {status} differ in status, {pixels} in pixels (largest difference {worst}, mean {total / n / 784:F3} per pixel)");
    }

    /// <summary>
    /// <c>-- working-side DIR SIDE... [--model FILE]</c>: the accuracy of a model (most probable digit, whatever the
    /// status) on a labelled folder with the normalizer's working size (<see cref="InkExtraction.WorkingSide"/>) set
    /// to each SIDE in turn, and the one-thread time per image.
    /// </summary>
    public static void WorkingSides(string[] args)
    {
        int modelAt = Array.IndexOf(args, "--model");
        var model = modelAt >= 0 ? DigitModel.Load(args[modelAt + 1]) : DigitModel.LoadDefault();
        var files = ImageFolder.Read(args[0], [.. Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture))]).Files;
        var bytes = files.Select(f => File.ReadAllBytes(f.Path)).ToArray();
        foreach (string side in args[1..(modelAt >= 0 ? modelAt : args.Length)])
        {
            InkExtraction.WorkingSide = int.Parse(side, CultureInfo.InvariantCulture);
            var predictions = model.PredictImageBatch(bytes, 0);
            int correct = 0;
            for (int i = 0; i < files.Count; i++)
                correct += predictions[i].BestGuess == files[i].Label ? 1 : 0;
            var output = new byte[784];
            long start = Stopwatch.GetTimestamp();
            foreach (var image in bytes)
                DigitInput.Read(image, output, out _);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds / bytes.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"working side {side,4}: {correct}/{files.Count} = {100.0 * correct / files.Count:F2}%, read {ms:F3} ms per image on one thread"));
        }
    }

    /// <summary>
    /// <c>-- folder DIR [MODEL]</c>: a whole labelled folder end to end, against its ideal. First every file on one
    /// thread, read + decode + normalize (<see cref="DigitInput.FromFile"/>) and predict one image, summed: the ideal
    /// for all cores is that sum ÷ cores. Then <see cref="DigitModel.PredictBatch"/> on all cores, as <c>digits predict
    /// DIR</c> runs it (files read and normalized in parallel, the model given batches). Each timed twice, best kept.
    /// </summary>
    public static void Folder(string[] args)
    {
        var model = args.Length > 1 ? DigitModel.Load(args[1]) : DigitModel.LoadDefault();
        var files = ImageFolder.Read(args[0], [.. Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture))]).Files;
        string[] paths = [.. files.Select(f => f.Path)];
        var probabilities = new float[model.Classifier.Labels.Count];
        // Warm up: tiered compilation and the file cache.
        model.PredictBatch(paths.Take(500));
        double OneThread()
        {
            int saved = WorkerPool.Threads;
            WorkerPool.Threads = 1;
            long start = Stopwatch.GetTimestamp();
            foreach (string path in paths)
            {
                var input = DigitInput.FromFile(path);
                if (input.Pixels is not null)
                    model.Classifier.Predict(input.Pixels, 1, probabilities);
            }
            WorkerPool.Threads = saved;
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        double Batch()
        {
            long start = Stopwatch.GetTimestamp();
            model.PredictBatch(paths);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        double one = Math.Min(OneThread(), OneThread());
        double all = Math.Min(Batch(), Batch());
        int cores = Environment.ProcessorCount;
        double ideal = one / cores;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{paths.Length} files: one thread {one:F2} s ({one / paths.Length * 1000:F3} ms per image); ideal on {cores} cores {ideal:F2} s; " +
            $"PredictBatch {all:F2} s = {paths.Length / all:F0} images/s, {all / ideal:F3}x the ideal"));
    }

    /// <summary>Writes the five files (see the class summary) and returns their names and bytes.</summary>
    private static List<(string Name, byte[] Bytes)> WriteFiles(string data, string folder)
    {
        Directory.CreateDirectory(folder);
        var store = new DatasetStore(new DatasetStoreOptions { DataDirectory = data, AllowDownload = false });
        LabeledImages test = store.LoadAsync(DatasetCatalog.Mnist).GetAwaiter().GetResult().Test;
        PhotoParameters first = ScanSynthesizer.Parameters(1, 0, PhotoRanges.Fixed);
        PhotoParameters Scan(double height, int width, int tall, int? quality) => first with
        {
            DigitHeight = height, CanvasWidthScale = width / height, CanvasHeightScale = tall / height,
            PlaceX = 0.4, PlaceY = 0.6, RotationDegrees = 5, BlurSigma = 0.6, JpegQuality = quality,
        };
        byte[] Photo(int index, PhotoParameters p) => PhotoRenderer.Render(InkMask.FromMnist(test.Image(index), p), p);

        var files = new List<(string, byte[])>
        {
            ("scan-0.15mp.jpg", Photo(0, Scan(120, 448, 336, 85))),
            ("scan-0.15mp.png", Photo(0, Scan(120, 448, 336, null))),
            ("canvas-280.png", File.ReadAllBytes(Path.Combine("samples", "canvas-5.png"))),
            ("mnist-28.png", ImageEncoder.EncodePng(new GrayImage(28, 28, test.Image(1).ToArray()))),
            ("phone-12mp.jpg", Photo(2, Scan(1200, 4000, 3000, 90))),
        };
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }
        return files;
    }

    /// <summary>One file's row: the stages as <see cref="DigitInput.Read"/> runs them (a JPEG decoded at the reduced
    /// scale the normalizer's working size allows), and the bytes one whole read allocates.</summary>
    private static string Measure(DigitModel model, string name, byte[] bytes)
    {
        bool small = bytes.Length < 1_000_000;
        var scratch = PipelineScratch.ForThisThread;
        NormalizeOptions? options = name.StartsWith("mnist", StringComparison.Ordinal) ? new NormalizeOptions(InkIsDark: false) : null;
        var pixels = new byte[784];
        var status = DigitInput.Read(bytes, pixels, out string? reason, options);
        if (status != DigitInputStatus.Ok)
            throw new InvalidOperationException($"{name}: {status}, {reason}");
        var (width, height) = ImageDecoder.DecodeInto(bytes, name, InkExtraction.WorkingSide, scratch);
        var gray = scratch.Gray.AsSpan(0, width * height).ToArray();
        var output = new byte[784];
        var probabilities = new float[model.Classifier.Labels.Count];
        int calls = small ? 400 : 40;
        double decode = Median(() => ImageDecoder.DecodeInto(bytes, name, InkExtraction.WorkingSide, scratch), calls);
        double normalize = Median(() => MnistNormalizer.NormalizeInto(gray, width, height, options, output), calls);
        double both = Median(() => DigitInput.Read(bytes, output, out _, options), calls);
        double predict = Median(() => model.Classifier.Predict(pixels, 1, probabilities), 400);
        if (Environment.GetEnvironmentVariable("PIPELINE_PARTS") is not null)
        {

            double extract = Median(() => InkExtraction.Extract(gray, width, height, options?.InkIsDark), calls);
            var ink = InkExtraction.Extract(gray, width, height, options?.InkIsDark)!.Value;
            double measure = Median(() => InkMarks.Measure(ink), calls);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: extract {extract:F3} ms, measure {measure:F3} ms, box {ink.Box}"));
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        DigitInput.Read(bytes, output, out _, options);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        int digit = probabilities.AsSpan().IndexOf(MaxOf(probabilities));
        return string.Create(CultureInfo.InvariantCulture,
            $"{name,-16} {width + "x" + height,10} {decode,8:F3} {normalize,10:F3} {both,9:F3} {predict,8:F3} {allocated,9:N0}  {digit}");
    }

    /// <summary>The median time of <paramref name="calls"/> calls, in ms, after a second of warm-up.</summary>
    internal static double Median(Action action, int calls)
    {
        for (long warm = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(warm).TotalSeconds < 1;)
        {
            action();
        }
        var samples = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(samples);
        return samples[calls / 2];
    }

    private static float MaxOf(float[] values)
    {
        float best = values[0];
        foreach (float v in values)
        {
            best = Math.Max(best, v);
        }
        return best;
    }
}
