using Digits.Evaluation;
using Digits.Imaging;
using Digits.Persistence;

namespace Digits;

/// <summary>
/// A digit model ready to read pictures: load a model file (or the bundled one), then predict from a path, a stream,
/// an encoded image in memory or a 28×28 drawing, one at a time or as a batch. Every picture goes through the one
/// input pipeline (<see cref="DigitInput"/>: decode, then MNIST-style normalization), the model's calibrated
/// probabilities, and one rule for the answer (shared CONTRACT.md, <c>predict</c>):
/// <list type="bullet">
/// <item><c>ok</c>: one digit, read with a confidence of at least <see cref="MinConfidence"/>;</item>
/// <item><c>unsure</c>: a lower confidence, or more than one digit in the picture (confidence and probabilities are
/// still given, with the reason);</item>
/// <item><c>no-digit</c>: blank, near-empty, specks only or noise, never a guess;</item>
/// <item><c>error</c>: a file that cannot be read, with the message. Nothing here throws for a bad picture, so one
/// bad file never stops a batch.</item>
/// </list>
/// <code>
/// var model = DigitModel.LoadDefault();
/// Prediction p = model.Predict("photo.jpg");
/// if (p.Status == PredictionStatus.Ok) Console.WriteLine($"{p.Digit} ({p.Confidence:P1})");
/// </code>
/// </summary>
/// <remarks>
/// One instance may be shared by any number of threads (a web server's requests): it holds no mutable state, each
/// call has its own buffers, and the classifiers are thread-safe (<c>CnnClassifier</c> serializes its forward passes
/// behind a lock, the classical models use per-call buffers), so answers are the same as on one thread.
/// </remarks>
public sealed class DigitModel
{
    /// <summary>
    /// The threshold used when the model file has no <c>min_confidence</c>: a reading whose top probability is under
    /// one half is more likely wrong than right among ten classes, so it is not given as a digit.
    /// </summary>
    public const double DefaultMinConfidence = 0.5;

    /// <summary>How the bundled model is named in results (<c>"model"</c> in predict's JSON) and errors.</summary>
    public const string BundledName = "bundled:digits-cnn";

    /// <summary>The bundled model file's manifest resource name in this assembly (see Digits.csproj).</summary>
    internal const string BundledResource = "Digits.models.digits-cnn.safetensors";

    /// <summary>Images per call of the classifier in a batch: a cancel is seen between them.</summary>
    private const int ModelBatch = 1024;

    /// <summary>A 28×28 drawing's polarity: white ink on black, as MNIST.</summary>
    private static readonly NormalizeOptions WhiteOnBlack = new(InkIsDark: false);

    /// <summary>The bundled model, loaded once per process on first use and shared.</summary>
    private static readonly Lazy<DigitModel> Bundled = new(LoadBundled, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The opened file, from which <see cref="Replica"/> builds another classifier.</summary>
    private readonly ModelFile file;

    private DigitModel(ModelFile file, IPersistableModel classifier, ModelMetadata metadata, string name, double minConfidence)
    {
        this.file = file;
        Classifier = classifier;
        Metadata = metadata;
        Name = name;
        MinConfidence = minConfidence;
    }

    /// <summary>The model file's path as given to <see cref="Load"/>, or <see cref="BundledName"/>.</summary>
    public string Name { get; }

    /// <summary>The classifier, with the file's calibration applied (a <see cref="CalibratedModel"/> when it has one).</summary>
    public IPersistableModel Classifier { get; }

    /// <summary>Everything the model file records: kind, recipe, metrics, calibration, <c>min_confidence</c>, provenance.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>
    /// The threshold on the top probability below which a reading is <c>unsure</c>: the file's <c>min_confidence</c>,
    /// else <see cref="DefaultMinConfidence"/>, unless replaced by <see cref="WithMinConfidence"/>. Each predict call
    /// may also pass its own.
    /// </summary>
    public double MinConfidence { get; }

    /// <summary>Loads a Digits model file whose labels are the digits 0…9.</summary>
    /// <exception cref="DigitsException">The file is missing or broken, or not a digit model (the message names the file).</exception>
    public static DigitModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return FromModelFile(ModelFile.Load(path), path);
    }

    /// <summary>
    /// The model bundled with the library (<c>models/digits-cnn.safetensors</c>, embedded in the assembly), named
    /// <see cref="BundledName"/>. It is loaded once per process and the same instance is returned to every caller.
    /// </summary>
    public static DigitModel LoadDefault() => Bundled.Value;

    /// <summary>Wraps an opened model file; <paramref name="name"/> is what results and errors call it.</summary>
    /// <exception cref="DigitsException">The model's labels are not the digits 0…9.</exception>
    public static DigitModel FromModelFile(ModelFile file, string name)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(name);
        if (!file.Metadata.Labels.SequenceEqual(ModelMetadata.DigitLabels))
            throw new DigitsException(file.Name, $"has the labels {string.Join(", ", file.Metadata.Labels)}; a digit model's labels are 0 to 9");
        return new DigitModel(file, ModelLoader.FromModelFile(file), file.Metadata, name, file.Metadata.MinConfidence ?? DefaultMinConfidence);
    }

    /// <summary>
    /// Another instance of the same model (same weights, threshold and name, so the same answers) with buffers of its
    /// own. One instance answers concurrent calls one forward pass at a time; a server that wants forward passes to
    /// run side by side, one per core, keeps one replica per core (<c>digits serve</c> does).
    /// </summary>
    public DigitModel Replica() => new(file, ModelLoader.FromModelFile(file), Metadata, Name, MinConfidence);

    /// <summary>The same model (sharing the loaded classifier) with another default threshold.</summary>
    public DigitModel WithMinConfidence(double minConfidence) => new(file, Classifier, Metadata, Name, CheckThreshold(minConfidence));

    /// <summary>Reads the picture file at <paramref name="path"/> (PNG, JPEG, BMP, GIF or WebP; EXIF rotation applied).</summary>
    /// <param name="minConfidence">This call's threshold, 0–1; null for <see cref="MinConfidence"/>.</param>
    public Prediction Predict(string path, double? minConfidence = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        double threshold = Threshold(minConfidence);
        return Answer([DigitInput.FromFile(path)], threshold, CancellationToken.None)[0];
    }

    /// <summary>Reads an encoded picture from <paramref name="image"/> (to its end).</summary>
    public Prediction Predict(Stream image, double? minConfidence = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        double threshold = Threshold(minConfidence);
        using var copy = new MemoryStream();
        try
        {
            image.CopyTo(copy);
        }
        catch (IOException e)
        {
            return Unreadable("cannot read the stream: " + e.Message);
        }
        return Answer([DigitInput.FromBytes(copy.GetBuffer().AsSpan(0, (int)copy.Length))], threshold, CancellationToken.None)[0];
    }

    /// <summary>Reads an encoded picture held in memory (an upload, a request body).</summary>
    public Prediction PredictImage(ReadOnlySpan<byte> encodedImage, double? minConfidence = null)
    {
        double threshold = Threshold(minConfidence);
        return Answer([DigitInput.FromBytes(encodedImage)], threshold, CancellationToken.None)[0];
    }

    /// <summary>
    /// Reads a 28×28 drawing: 784 bytes, white ink (255) on black (0), row-major, as a canvas scaled down to 28×28
    /// gives it. It goes through the same normalization as a photo (cropped, scaled to 20 px, centred by mass), so an
    /// off-centre or oversized drawing reads like an MNIST digit and a blank one answers no-digit. An image that is
    /// already MNIST-style comes out nearly unchanged: on MNIST test the first bundled model (a cnn-fast) scores 99.19% this
    /// way against 99.27% given the images as stored.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="pixels28x28"/> is not 784 bytes long.</exception>
    public Prediction PredictPixels(ReadOnlySpan<byte> pixels28x28, double? minConfidence = null)
    {
        if (pixels28x28.Length != DigitImage.Pixels)
            throw new ArgumentException($"must be {DigitImage.Pixels} bytes (28×28), got {pixels28x28.Length}", nameof(pixels28x28));
        double threshold = Threshold(minConfidence);
        var drawing = new GrayImage(DigitImage.Side, DigitImage.Side, pixels28x28.ToArray());
        return Answer([DigitInput.FromImage(drawing, WhiteOnBlack)], threshold, CancellationToken.None)[0];
    }

    /// <summary>
    /// Reads picture files in parallel, on up to <see cref="Environment.ProcessorCount"/> threads for decoding and
    /// normalizing, then gives the model all the digits found in batches, and answers in the order of
    /// <paramref name="paths"/>. A file that cannot be read answers <c>error</c> and the rest go on.
    /// </summary>
    /// <param name="progress">Told how many files are read so far, from the worker threads.</param>
    /// <param name="cancellationToken">Checked before each file and each batch; a cancel throws <see cref="OperationCanceledException"/>.</param>
    public IReadOnlyList<Prediction> PredictBatch(IEnumerable<string> paths, double? minConfidence = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        double threshold = Threshold(minConfidence);
        string[] files = [.. paths];
        return Answer(DigitInput.FromFiles(files, null, progress, cancellationToken), threshold, cancellationToken);
    }

    /// <summary>As <see cref="PredictBatch"/>, for encoded pictures held in memory.</summary>
    public IReadOnlyList<Prediction> PredictImageBatch(IEnumerable<byte[]> encodedImages, double? minConfidence = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encodedImages);
        double threshold = Threshold(minConfidence);
        byte[][] images = [.. encodedImages];
        var inputs = new DigitInputResult[images.Length];
        int done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, images.Length, parallel, i =>
        {
            inputs[i] = images[i] is { } image ? DigitInput.FromBytes(image) : new DigitInputResult(DigitInputStatus.Unreadable, null, "no image (null)");
            progress?.Report(Interlocked.Increment(ref done));
        });
        return Answer(inputs, threshold, cancellationToken);
    }

    /// <summary>
    /// Where the model looks for its answer to <paramref name="prediction"/>: an occlusion map over the 28×28 image it
    /// saw (<see cref="Saliency.Occlusion"/>) for the digit it rates highest.
    /// </summary>
    /// <exception cref="ArgumentException">The prediction has no image (no-digit or error).</exception>
    public float[] Explain(Prediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (prediction.Normalized is null || prediction.BestGuess is not { } digit)
            throw new ArgumentException($"a {prediction.StatusName} answer has no image to explain", nameof(prediction));
        return Saliency.Occlusion(Classifier, prediction.Normalized, digit);
    }

    /// <summary>Turns the input pipeline's results into answers: every found digit through the model, in batches.</summary>
    private Prediction[] Answer(IReadOnlyList<DigitInputResult> inputs, double threshold, CancellationToken cancellationToken)
    {
        int classes = Classifier.Labels.Count;
        int[] withDigit = [.. Enumerable.Range(0, inputs.Count).Where(i => inputs[i].HasDigit)];
        var probabilities = new float[withDigit.Length * classes];
        var pixels = new byte[Math.Min(withDigit.Length, ModelBatch) * DigitImage.Pixels];
        for (int start = 0; start < withDigit.Length; start += ModelBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(ModelBatch, withDigit.Length - start);
            for (int i = 0; i < n; i++)
                inputs[withDigit[start + i]].Pixels.AsSpan().CopyTo(pixels.AsSpan(i * DigitImage.Pixels));
            Classifier.Predict(pixels.AsSpan(0, n * DigitImage.Pixels), n, probabilities.AsSpan(start * classes, n * classes));
        }

        var answers = new Prediction[inputs.Count];
        int next = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            answers[i] = input.Status switch
            {
                DigitInputStatus.Unreadable => Unreadable(input.Reason ?? "cannot be read"),
                DigitInputStatus.NoDigit => new Prediction(PredictionStatus.NoDigit, null, null, null, input.Reason, null),
                _ => Reading(input, probabilities.AsSpan(next++ * classes, classes).ToArray(), threshold),
            };
        }
        return answers;
    }

    private static Prediction Reading(DigitInputResult input, float[] probabilities, double threshold)
    {
        int best = 0;
        for (int c = 1; c < probabilities.Length; c++)
        {
            if (probabilities[c] > probabilities[best])
                best = c;
        }
        double confidence = probabilities[best];
        if (input.Status == DigitInputStatus.MultipleDigits)
            return new Prediction(PredictionStatus.Unsure, null, confidence, probabilities, input.Reason, input.Pixels);
        return Prediction.IsConfident(confidence, threshold)
            ? new Prediction(PredictionStatus.Ok, best, confidence, probabilities, null, input.Pixels)
            : new Prediction(PredictionStatus.Unsure, null, confidence, probabilities, Prediction.LowConfidence(confidence, threshold), input.Pixels);
    }

    private static Prediction Unreadable(string reason) => new(PredictionStatus.Error, null, null, null, reason, null);

    private double Threshold(double? minConfidence) => minConfidence is { } given ? CheckThreshold(given) : MinConfidence;

    private static double CheckThreshold(double minConfidence) => minConfidence is >= 0 and <= 1
        ? minConfidence
        : throw new ArgumentOutOfRangeException(nameof(minConfidence), minConfidence, "must be from 0 to 1");

    private static DigitModel LoadBundled()
    {
        var assembly = typeof(DigitModel).Assembly;
        using var stream = assembly.GetManifestResourceStream(BundledResource)
            ?? throw new DigitsException(BundledName, $"this build of {assembly.GetName().Name} has no bundled model (resource {BundledResource})");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return FromModelFile(ModelFile.Load(bytes, BundledName), BundledName);
    }
}
