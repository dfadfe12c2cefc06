using System.Numerics.Tensors;

namespace Digits.Imaging;

/// <summary>How <see cref="MnistNormalizer.Normalize"/> treats its input.</summary>
/// <param name="Deskew">Straighten slanted digits with <see cref="Imaging.Deskew"/> after normalizing.
/// Use it only for models trained on deskewed data.</param>
/// <param name="InkIsDark"><c>true</c> for dark ink on light paper, <c>false</c> for light ink on a dark
/// ground (MNIST itself), <c>null</c> to decide from the image border.</param>
public sealed record NormalizeOptions(bool Deskew = false, bool? InkIsDark = null);

/// <summary>What <see cref="MnistNormalizer.TryNormalize"/> made of a picture.</summary>
public enum NormalizeStatus
{
    /// <summary>One digit, normalized.</summary>
    Ok,

    /// <summary>Nothing that could be a digit: a blank or faint page, only specks, or noise.</summary>
    NoDigit,

    /// <summary>Two or more digits of similar size side by side.</summary>
    MultipleDigits,
}

/// <summary>The outcome of <see cref="MnistNormalizer.TryNormalize"/>.</summary>
/// <param name="Status">Whether the picture held one digit.</param>
/// <param name="Pixels">With <see cref="NormalizeStatus.Ok"/>, the 784 normalized bytes (white ink on black,
/// row-major). With <see cref="NormalizeStatus.MultipleDigits"/>, all the marks normalized together as if they were one
/// digit, so that a caller can still say what a model reads there (predict answers <c>unsure</c> with probabilities,
/// evaluation scores it); null with <see cref="NormalizeStatus.NoDigit"/>.</param>
/// <param name="Detail">Otherwise, a short account of what was seen, for people, e.g. "only a speck of ink,
/// 4×3 px" or "2 separate marks of similar size side by side"; null with <see cref="NormalizeStatus.Ok"/>.</param>
public sealed record NormalizeResult(NormalizeStatus Status, byte[]? Pixels, string? Detail);

/// <summary>The picture holds nothing that could be a digit (blank, faint, only specks, or noise).</summary>
public sealed class NoDigitException(string subject, string detail)
    : DigitsException(subject, "no digit found: " + detail);

/// <summary>The picture holds two or more digits side by side, where one was expected.</summary>
public sealed class MultipleDigitsException(string subject, string detail)
    : DigitsException(subject, "more than one digit found: " + detail);

/// <summary>
/// Turns a photo or scan of one digit into what an MNIST sample looks like: 28 × 28 bytes,
/// white ink (255) on black (0), the digit scaled so its longer side spans 20 px with antialiased
/// edges, and its intensity-weighted centre of mass at the centre of the field.
/// That is the procedure LeCun et al. describe for MNIST (NIST digits size-normalized to a 20 × 20 box,
/// then centred by centre of mass in 28 × 28), so a model trained on MNIST sees the same kind of input.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="InkExtraction"/> finds the ink (polarity, paper background, threshold, specks) at a reduced
/// working resolution (longer side at most 224 px); this class crops it and resamples it into the 28 × 28
/// field in one separable pass. The buffers are the thread's <see cref="PipelineScratch"/>: once they have grown, a
/// picture with one digit is normalized without allocating (<see cref="DigitInput.Read"/>).
/// </para>
/// <para>
/// Before that, <see cref="TryNormalize"/> refuses pictures that hold no digit or several, in this order
/// (marks, spans and gaps are those of <see cref="InkMarks"/>, in working pixels):
/// <list type="number">
/// <item><b>Nothing stands out</b> (no ink above Otsu's threshold, or less than 32 gray levels of contrast):
/// <see cref="NormalizeStatus.NoDigit"/>.</item>
/// <item><b>Only specks</b>: the largest mark's longer side is under <see cref="SpeckLimit"/>, the larger of
/// <see cref="SpeckSpan"/> (6) px and <see cref="SpeckFraction"/> (4 %) of the working image's longer side:
/// <see cref="NormalizeStatus.NoDigit"/>. MNIST's smallest largest mark spans 12 px (test #6558) and 11 px
/// (train #27287), 2.0× and 1.83× the limit; inverted and 3× larger, 6.0×; the synthetic photos, 2.75×.</item>
/// <item><b>Noise</b>: the neighbour correlation (phi of adjacent pixels above Otsu's threshold, before
/// specks are dropped) is under <see cref="NoiseCorrelation"/> (0.2): <see cref="NormalizeStatus.NoDigit"/>.
/// Strokes are wider than a pixel, so MNIST is at least 0.381 (test #2689; train 0.390), 0.794 inverted and
/// 3× larger, and the synthetic photos 0.635; uniform and Gaussian noise measure −0.01 to 0.03 at 28 × 28
/// and within ±0.005 at 400 × 300.</item>
/// <item><b>Several digits side by side</b>: marks of similar size (at least <see cref="InkMarks.SimilarHeight"/>
/// (half) the tallest mark's height and <see cref="InkMarks.SimilarInk"/> (15 %) of the most ink in a mark),
/// separated left to right by gaps of at least <see cref="InkMarks.SeparatingGap"/> (0.35) of the tallest
/// mark's height: <see cref="NormalizeStatus.MultipleDigits"/>. Marks are found after a dilation by 5 % of the
/// ink's height, so strokes that nearly touch are one mark; a broken 4, 5 or 7 whose pieces float apart still
/// has only one piece of digit size, or pieces that overlap horizontally. The widest such gap in MNIST is
/// 0.25 (test #5676, a 4 whose left stroke stands 5 px off the rest; test #8020, a 1 beside a faint line, 0.20;
/// train at most 0.15), 2 px below the threshold at MNIST's scale. Of 5,000 pairs of MNIST test images pasted
/// side by side in their 28 × 28 frames, 99.0 % are caught (the rest have a gap under 0.35 or a short digit).</item>
/// </list>
/// None of the 10,000 MNIST test images is refused, as stored or inverted and 3× larger, nor any of the 60,000
/// training images as stored. For accepted pictures the output is exactly what it was before these rules existed.
/// </para>
/// </remarks>
public static class MnistNormalizer
{
    /// <summary>Side of the output field in pixels.</summary>
    public const int Size = DigitImage.Side;

    /// <summary>Side of the box, in output pixels, that the digit's longer side is scaled to.</summary>
    public const int BoxSize = 20;

    /// <summary>Where the centre of mass lands, in pixel-centre coordinates (pixel i spans i − 0.5 .. i + 0.5),
    /// as in MNIST: the centre of mass is moved to (14, 14).</summary>
    public const double Centre = 14.0;

    /// <summary>Longest side, in working pixels, of a mark too small to be a digit whatever the picture's size.</summary>
    internal const int SpeckSpan = 6;

    /// <summary>A picture whose largest mark spans less than this fraction of the working image's longer
    /// side holds only specks.</summary>
    internal const double SpeckFraction = 0.04;

    /// <summary>Ink whose neighbouring pixels correlate (phi) less than this is noise, not strokes.</summary>
    internal const double NoiseCorrelation = 0.2;

    /// <summary>The answer when no ink stands out from the paper.</summary>
    static readonly NormalizeResult Blank = new(NormalizeStatus.NoDigit, null, "nothing stands out from the paper (blank or too faint)");

    /// <summary>Normalizes <paramref name="image"/> to 784 bytes, white ink on black, row-major.</summary>
    /// <param name="image">A photo, scan or drawing of one digit, in either polarity.</param>
    /// <param name="options">Polarity and deskewing; defaults detect polarity and do not deskew.</param>
    /// <param name="name">Names the picture in the exception, e.g. its file name.</param>
    /// <exception cref="NoDigitException">Nothing that could be a digit (<see cref="NormalizeStatus.NoDigit"/>).</exception>
    /// <exception cref="MultipleDigitsException">Digits side by side (<see cref="NormalizeStatus.MultipleDigits"/>).</exception>
    public static byte[] Normalize(GrayImage image, NormalizeOptions? options = null, string name = "image")
    {
        var result = TryNormalize(image, options);
        return result.Status switch
        {
            NormalizeStatus.Ok => result.Pixels!,
            NormalizeStatus.NoDigit => throw new NoDigitException(name, result.Detail!),
            _ => throw new MultipleDigitsException(name, result.Detail!),
        };
    }

    /// <summary>Normalizes <paramref name="image"/> as <see cref="Normalize"/> does, but answers a picture
    /// without a digit, or with several, by its status instead of an exception.</summary>
    public static NormalizeResult TryNormalize(GrayImage image, NormalizeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = new byte[Size * Size];
        var refusal = NormalizeInto(image.Pixels, image.Width, image.Height, options, pixels);
        return refusal switch
        {
            null => new NormalizeResult(NormalizeStatus.Ok, pixels, null),
            { Status: NormalizeStatus.MultipleDigits } => refusal with { Pixels = pixels },
            _ => refusal,
        };
    }

    /// <summary>
    /// The work of <see cref="TryNormalize(GrayImage, NormalizeOptions?)"/> on <paramref name="width"/> ×
    /// <paramref name="height"/> gray bytes, into <paramref name="output"/> (784 bytes), in this thread's
    /// <see cref="PipelineScratch"/>: null when one digit was found (nothing is allocated then), otherwise the refusal,
    /// without pixels (with <see cref="NormalizeStatus.MultipleDigits"/> they are in <paramref name="output"/>).
    /// </summary>
    internal static NormalizeResult? NormalizeInto(ReadOnlySpan<byte> gray, int width, int height, NormalizeOptions? options, Span<byte> output)
    {
        if (InkExtraction.Extract(gray, width, height, options?.InkIsDark) is not { } ink)
            return Blank;
        var refusal = Judge(InkMarks.Measure(ink), ink.Scale);
        if (refusal is { Status: NormalizeStatus.NoDigit })
            return refusal;

        var scratch = PipelineScratch.ForThisThread;
        var field = scratch.Field;
        PlaceCentred(ink.Pixels, ink.Width, ink.Box, field, scratch);
        float max = TensorPrimitives.Max(field);
        if (!(max > 0f))
            return Blank;
        for (int i = 0; i < field.Length; i++)
            output[i] = (byte)Math.Clamp(MathF.Round(field[i] * 255f / max), 0f, 255f);

        if (options?.Deskew == true)
        {
            Span<byte> straight = stackalloc byte[Size * Size];
            Imaging.Deskew.Apply(output[..(Size * Size)], straight);
            straight.CopyTo(output);
        }
        return refusal;
    }

    /// <summary>The refusal the rules in the class remarks give for <paramref name="measures"/>, or null for one digit.
    /// <paramref name="scale"/> converts working pixels back to the picture's own for the detail.</summary>
    internal static NormalizeResult? Judge(InkMarks.Measures measures, int scale)
    {
        if (measures.Marks.Count == 0)
            return Blank;
        if (measures.LargestSpan < SpeckLimit(measures.WorkingSide))
        {
            var largest = measures.Marks.MaxBy(m => Math.Max(m.W, m.H));
            string size = $"{largest.W * scale}×{largest.H * scale} px";
            return new NormalizeResult(NormalizeStatus.NoDigit, null, measures.Marks.Count == 1
                ? $"only a speck of ink, {size}"
                : $"only {measures.Marks.Count} specks of ink, the largest {size}");
        }
        if (measures.NeighbourCorrelation < NoiseCorrelation)
        {
            return new NormalizeResult(NormalizeStatus.NoDigit, null,
                $"looks like noise, not strokes (neighbouring pixels correlate at {Math.Max(0, measures.NeighbourCorrelation):F2}, strokes at {NoiseCorrelation:F1} or more)");
        }
        if (measures.SideBySide > 1)
            return new NormalizeResult(NormalizeStatus.MultipleDigits, null, $"{measures.SideBySide} separate marks of similar size side by side");
        return null;
    }

    /// <summary>The span, in working pixels, below which the largest mark is a speck in a working image
    /// whose longer side is <paramref name="workingSide"/>.</summary>
    internal static double SpeckLimit(int workingSide) => Math.Max(SpeckSpan, SpeckFraction * workingSide);

    /// <summary>
    /// Resamples the ink inside <paramref name="box"/> into the 28 × 28 field in one separable pass:
    /// longer side to <see cref="BoxSize"/> px, centre of mass to (<see cref="Centre"/>, <see cref="Centre"/>).
    /// The offset is first predicted from the source's centre of mass, then corrected once by the error
    /// measured on the result, so the final centre is accurate to well under a tenth of a pixel.
    /// </summary>
    static void PlaceCentred(float[] ink, int stride, (int X, int Y, int W, int H) box, float[] field, PipelineScratch scratch)
    {
        double scale = BoxSize / Math.Max(InkExtent(ink, stride, box, horizontal: true), InkExtent(ink, stride, box, horizontal: false));
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < box.H; y++)
        {
            for (int x = 0; x < box.W; x++)
            {
                float v = ink[(box.Y + y) * stride + box.X + x];
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        // Edge coordinates: source pixel i spans [i, i + 1), its centre is i + 0.5; dst = src · scale + offset.
        double offsetX = Centre + 0.5 - (mx / mass + 0.5) * scale;
        double offsetY = Centre + 0.5 - (my / mass + 0.5) * scale;
        int taps = Taps(scale);
        var wx = PipelineScratch.Ensure(ref scratch.WeightsX, Size * taps);
        var wy = PipelineScratch.Ensure(ref scratch.WeightsY, Size * taps);
        var fx = PipelineScratch.Ensure(ref scratch.SpanX, Size);
        var fy = PipelineScratch.Ensure(ref scratch.SpanY, Size);
        var rows = PipelineScratch.Ensure(ref scratch.Rows, box.H * Size).AsSpan(0, box.H * Size);
        for (int pass = 0; pass < 2; pass++)
        {
            ResampleWeights(box.W, scale, offsetX, taps, wx, fx);
            ResampleWeights(box.H, scale, offsetY, taps, wy, fy);
            for (int y = 0; y < box.H; y++)
            {
                var src = ink.AsSpan((box.Y + y) * stride + box.X, box.W);
                var dst = rows.Slice(y * Size, Size);
                for (int X = 0; X < Size; X++)
                {
                    int first = fx[X], count = Math.Min(taps, box.W - first);
                    dst[X] = count <= 0 ? 0f : TensorPrimitives.Dot(src.Slice(first, count), wx.AsSpan(X * taps, count));
                }
            }
            for (int Y = 0; Y < Size; Y++)
            {
                var dst = field.AsSpan(Y * Size, Size);
                dst.Clear();
                int first = fy[Y], count = Math.Min(taps, box.H - first);
                for (int t = 0; t < count; t++)
                {
                    float weight = wy[Y * taps + t];
                    if (weight != 0f)
                        TensorPrimitives.MultiplyAdd(rows.Slice((first + t) * Size, Size), weight, dst, dst);
                }
            }
            var (cx, cy) = CentreOfMass<float>(field, Size, Size);
            if (double.IsNaN(cx))
                return;
            offsetX += Centre - cx;
            offsetY += Centre - cy;
        }
    }

    /// <summary>
    /// Width (or height) of the ink in pixels, counting the first and last column (row) only by their
    /// strongest pixel: an antialiased edge pixel of value 0.3 is 30 % covered. Without this an MNIST image,
    /// whose 20 px digit touches 21 or 22 columns, would shrink each time it passed through.
    /// </summary>
    static double InkExtent(float[] ink, int stride, (int X, int Y, int W, int H) box, bool horizontal)
    {
        int length = horizontal ? box.W : box.H, across = horizontal ? box.H : box.W;
        float first = 0f, last = 0f;
        for (int j = 0; j < across; j++)
        {
            first = Math.Max(first, horizontal ? ink[(box.Y + j) * stride + box.X] : ink[box.Y * stride + box.X + j]);
            last = Math.Max(last, horizontal ? ink[(box.Y + j) * stride + box.X + length - 1] : ink[(box.Y + length - 1) * stride + box.X + j]);
        }
        return Math.Max(Math.Max(1.0, 0.5 * length), length - 2 + first + last);
    }

    /// <summary>The most source pixels one output pixel draws on at <paramref name="scale"/> (output px per source px).</summary>
    static int Taps(double scale) => scale <= 1 ? (int)Math.Ceiling(1 / scale) + 2 : 2;

    /// <summary>
    /// One axis of the resampling: for each of the 28 output pixels, the first source pixel it draws on
    /// (<paramref name="firsts"/>) and the weights of up to <paramref name="taps"/> source pixels from there (row of
    /// <paramref name="weights"/>). Shrinking averages the source over each output pixel's footprint (area / box filter,
    /// no aliasing); enlarging interpolates linearly between the two nearest source centres. Outside the source is paper (0).
    /// </summary>
    static void ResampleWeights(int srcLength, double scale, double offset, int taps, Span<float> weights, Span<int> firsts)
    {
        weights[..(Size * taps)].Clear();
        for (int o = 0; o < Size; o++)
        {
            var row = weights.Slice(o * taps, taps);
            if (scale <= 1)
            {
                double a = (o - offset) / scale, b = (o + 1 - offset) / scale;
                int first = Math.Max(0, (int)Math.Floor(a)), last = Math.Min(srcLength - 1, (int)Math.Ceiling(b) - 1);
                firsts[o] = first;
                for (int i = first; i <= last && i - first < taps; i++)
                    row[i - first] = (float)(Math.Max(0, Math.Min(b, i + 1) - Math.Max(a, i)) * scale);
            }
            else
            {
                double u = (o + 0.5 - offset) / scale - 0.5;
                int i0 = (int)Math.Floor(u);
                float frac = (float)(u - i0);
                int first = Math.Max(0, i0);
                firsts[o] = first;
                if (i0 >= 0 && i0 < srcLength)
                    row[i0 - first] = 1f - frac;
                if (i0 + 1 >= 0 && i0 + 1 < srcLength)
                    row[i0 + 1 - first] = frac;
            }
        }
    }

    /// <summary>
    /// Intensity-weighted centre in pixel-index coordinates (x, y); NaN for an empty image. MNIST's own digits, and
    /// this normalizer's output, average (14.0, 14.0) this way.
    /// </summary>
    public static (double X, double Y) CentreOfMass<T>(ReadOnlySpan<T> img, int w, int h) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double v = double.CreateTruncating(img[y * w + x]);
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        return mass > 0 ? (mx / mass, my / mass) : (double.NaN, double.NaN);
    }
}
