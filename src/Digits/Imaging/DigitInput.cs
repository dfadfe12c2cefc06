namespace Digits.Imaging;

/// <summary>What <see cref="DigitInput"/> made of one picture.</summary>
public enum DigitInputStatus
{
    /// <summary>One digit, normalized.</summary>
    Ok,

    /// <summary>Several marks of digit size side by side. They are still normalized together, so that a model's
    /// reading of them can be given (as <c>predict</c>'s <c>unsure</c>) or scored.</summary>
    MultipleDigits,

    /// <summary>Nothing that could be a digit: blank, faint, only specks, or noise.</summary>
    NoDigit,

    /// <summary>The file could not be read or decoded (missing, empty, corrupt, not an image, too large).</summary>
    Unreadable,
}

/// <summary>One picture as a model will see it.</summary>
/// <param name="Status">Whether a digit was found, and how.</param>
/// <param name="Pixels">The 28×28 image (784 bytes, white ink on black, row-major) when a digit was found
/// (<see cref="DigitInputStatus.Ok"/> or <see cref="DigitInputStatus.MultipleDigits"/>); otherwise null.</param>
/// <param name="Reason">Why the status is not <see cref="DigitInputStatus.Ok"/>, for people, e.g. "only a speck of
/// ink, 4×3 px" or "truncated image data"; null when it is.</param>
public sealed record DigitInputResult(DigitInputStatus Status, byte[]? Pixels, string? Reason)
{
    /// <summary>Whether there is a 28×28 image to give a model.</summary>
    public bool HasDigit => Pixels is not null;

    /// <summary>The status as front ends spell it: <c>ok</c>, <c>more-than-one-digit</c>, <c>no-digit</c>, <c>unreadable</c>.</summary>
    public string StatusName => DigitInput.Name(Status);
}

/// <summary>
/// The one input pipeline from a picture file to what a model sees: decode (<see cref="ImageDecoder"/>: any of PNG,
/// JPEG, BMP, GIF, WebP, EXIF orientation applied, gray) and then <see cref="MnistNormalizer.TryNormalize"/> (find the
/// ink, crop, scale to 20 px, centre by mass in 28×28). <c>evaluate --images</c> goes through it, and <c>predict</c>
/// is to use it too, so that an image scores the same wherever it enters. A picture that is not a digit, or cannot
/// be read, is answered with a status and a reason, never an exception, so that one bad file does not stop a batch.
/// The model's own preprocessing (deskew) is applied later, inside its <c>Predict</c>.
/// </summary>
public static class DigitInput
{
    /// <summary>Reads and normalizes the file at <paramref name="path"/>.</summary>
    public static DigitInputResult FromFile(string path, NormalizeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var scratch = PipelineScratch.ForThisThread;
        int length;
        try
        {
            using var handle = File.OpenHandle(path);
            long size = RandomAccess.GetLength(handle);
            if (size > int.MaxValue / 2)
                return new DigitInputResult(DigitInputStatus.Unreadable, null, $"file is {size:N0} bytes, too large to be a picture");
            var buffer = PipelineScratch.Ensure(ref scratch.File, (int)size);
            length = 0;
            while (length < size)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(length, (int)size - length), length);
                if (read == 0)
                    break;
                length += read;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DigitInputResult(DigitInputStatus.Unreadable, null,
                e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message);
        }
        return FromBytes(scratch.File.AsSpan(0, length), options);
    }

    /// <summary>Decodes and normalizes an encoded image held in memory (an upload, a request body).</summary>
    public static DigitInputResult FromBytes(ReadOnlySpan<byte> data, NormalizeOptions? options = null)
    {
        var pixels = new byte[DigitImage.Pixels];
        var status = Read(data, pixels, out string? reason, options);
        return new DigitInputResult(status, status is DigitInputStatus.Ok or DigitInputStatus.MultipleDigits ? pixels : null, reason);
    }

    /// <summary>
    /// <see cref="FromBytes"/> without allocating: decodes and normalizes <paramref name="data"/> into
    /// <paramref name="destination"/> (784 bytes, white ink on black; written with <see cref="DigitInputStatus.Ok"/> and
    /// <see cref="DigitInputStatus.MultipleDigits"/>). Once this thread has read a picture at least as large, a call
    /// that finds one digit allocates nothing; only the reason of any other answer is a new string.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 784 bytes.</exception>
    public static DigitInputStatus Read(ReadOnlySpan<byte> data, Span<byte> destination, out string? reason, NormalizeOptions? options = null)
    {
        if (destination.Length < DigitImage.Pixels)
            throw new ArgumentException($"must hold {DigitImage.Pixels} bytes (28×28), has {destination.Length}", nameof(destination));
        var scratch = PipelineScratch.ForThisThread;
        int width, height;
        try
        {
            (width, height) = ImageDecoder.DecodeInto(data, "image", InkExtraction.WorkingSide, scratch);
        }
        catch (DigitsException e)
        {
            reason = e.Problem;
            return DigitInputStatus.Unreadable;
        }
        var refusal = MnistNormalizer.NormalizeInto(scratch.Gray.AsSpan(0, width * height), width, height, options, destination);
        (var status, reason) = refusal switch
        {
            null => (DigitInputStatus.Ok, (string?)null),
            { Status: NormalizeStatus.MultipleDigits } => (DigitInputStatus.MultipleDigits, "more than one digit: " + refusal.Detail),
            _ => (DigitInputStatus.NoDigit, "no digit found: " + refusal.Detail),
        };
        return status;
    }

    /// <summary>Normalizes an image already decoded.</summary>
    public static DigitInputResult FromImage(GrayImage image, NormalizeOptions? options = null)
    {
        var normalized = MnistNormalizer.TryNormalize(image, options);
        return normalized.Status switch
        {
            NormalizeStatus.Ok => new DigitInputResult(DigitInputStatus.Ok, normalized.Pixels, null),
            NormalizeStatus.MultipleDigits => new DigitInputResult(DigitInputStatus.MultipleDigits, normalized.Pixels, "more than one digit: " + normalized.Detail),
            _ => new DigitInputResult(DigitInputStatus.NoDigit, null, "no digit found: " + normalized.Detail),
        };
    }

    /// <summary>
    /// Reads and normalizes every file, on up to <see cref="Environment.ProcessorCount"/> threads, and returns the
    /// results in the order of <paramref name="paths"/> whatever order the threads finish in. Each file is independent
    /// of the others, so the results are the same for any number of threads.
    /// </summary>
    /// <param name="progress">Told how many files are done, from the worker threads, in increasing order of completion.</param>
    /// <param name="cancellationToken">Checked before each file; a cancel throws <see cref="OperationCanceledException"/>.</param>
    public static DigitInputResult[] FromFiles(IReadOnlyList<string> paths, NormalizeOptions? options = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new DigitInputResult[paths.Count];
        int done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, paths.Count, parallel, i =>
        {
            results[i] = FromFile(paths[i], options);
            progress?.Report(Interlocked.Increment(ref done));
        });
        return results;
    }

    /// <summary>How front ends spell <paramref name="status"/> (see <see cref="DigitInputResult.StatusName"/>).</summary>
    public static string Name(DigitInputStatus status) => status switch
    {
        DigitInputStatus.Ok => "ok",
        DigitInputStatus.MultipleDigits => "more-than-one-digit",
        DigitInputStatus.NoDigit => "no-digit",
        DigitInputStatus.Unreadable => "unreadable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a DigitInputStatus"),
    };
}
