namespace Digits.Imaging;

/// <summary>How <see cref="MnistNormalizer.Normalize"/> treats its input.</summary>
/// <param name="Deskew">Straighten slanted digits with <see cref="Imaging.Deskew"/> after normalizing.
/// Use it only for models trained on deskewed data.</param>
/// <param name="InkIsDark"><c>true</c> for dark ink on light paper, <c>false</c> for light ink on a dark
/// ground (MNIST itself), <c>null</c> to decide from the image border.</param>
public sealed record NormalizeOptions(bool Deskew = false, bool? InkIsDark = null);

/// <summary>The picture holds no ink that stands out from the paper.</summary>
public sealed class NoDigitException(string subject)
    : DigitsException(subject, "no ink found (blank or too faint)");

/// <summary>
/// Turns a photo or scan of one digit into what an MNIST sample looks like: 28 × 28 bytes,
/// white ink (255) on black (0), the digit scaled so its longer side spans 20 px with antialiased
/// edges, and its intensity-weighted centre of mass at the centre of the field.
/// That is the procedure LeCun et al. describe for MNIST (NIST digits size-normalized to a 20 × 20 box,
/// then centred by centre of mass in 28 × 28), so a model trained on MNIST sees the same kind of input.
/// </summary>
/// <remarks>
/// Steps, at a working resolution whose longer side is at most <see cref="WorkingSide"/> px:
/// polarity from the border, removal of a smooth paper background (quadratic fit), an Otsu threshold,
/// dropping of specks, crop to the ink, and one separable resampling into the 28 × 28 field.
/// Allocations are per call (a few buffers of the working size), never per pixel.
/// </remarks>
public static class MnistNormalizer
{
    /// <summary>Side of the output field in pixels.</summary>
    public const int Size = 28;

    /// <summary>Side of the box, in output pixels, that the digit's longer side is scaled to.</summary>
    public const int BoxSize = 20;

    /// <summary>Where the centre of mass lands, in pixel-centre coordinates (pixel i spans i − 0.5 .. i + 0.5),
    /// as in MNIST: the centre of mass is moved to (14, 14).</summary>
    public const double Centre = 14.0;

    /// <summary>Photos are box-averaged down to this longer side first: a 20 px digit needs no more,
    /// and it keeps a 12 MP photo to a few milliseconds.</summary>
    const int WorkingSide = 512;

    /// <summary>Ink components smaller than this fraction of the largest one are specks and are dropped.</summary>
    const double SpeckFraction = 0.05;

    /// <summary>Least difference, in gray levels, between full ink and paper for the ink to count.</summary>
    const float MinContrast = 32f;

    /// <summary>Normalizes <paramref name="image"/> to 784 bytes, white ink on black, row-major.</summary>
    /// <param name="image">A photo, scan or drawing of one digit, in either polarity.</param>
    /// <param name="options">Polarity and deskewing; defaults detect polarity and do not deskew.</param>
    /// <param name="name">Names the picture in a <see cref="NoDigitException"/>, e.g. its file name.</param>
    public static byte[] Normalize(GrayImage image, NormalizeOptions? options = null, string name = "image")
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= new NormalizeOptions();

        var work = BoxDownsample(image, out int w, out int h);
        Span<int> hist = stackalloc int[256];
        Histogram(work, hist);
        bool inkIsDark = options.InkIsDark ?? BorderMedian(work, w, h) > OtsuThreshold(hist);
        if (inkIsDark)
        {
            for (int i = 0; i < work.Length; i++)
                work[i] = 255f - work[i];
            Histogram(work, hist);
        }

        FlattenBackground(work, w, h, OtsuThreshold(hist));
        var ink = ExtractInk(work, w, h, name, out var box);

        var field = new float[Size * Size];
        PlaceCentred(ink, w, box, field);
        var result = new byte[Size * Size];
        float max = 0f;
        foreach (var v in field)
            max = Math.Max(max, v);
        if (max <= 0f)
            throw new NoDigitException(name);
        for (int i = 0; i < field.Length; i++)
            result[i] = (byte)Math.Clamp(MathF.Round(field[i] * 255f / max), 0f, 255f);

        if (!options.Deskew)
            return result;
        var straight = new byte[Size * Size];
        Imaging.Deskew.Apply(result, straight);
        return straight;
    }

    /// <summary>Averages k × k blocks (k the smallest integer that brings the longer side to at most
    /// <see cref="WorkingSide"/>); edge blocks average only the pixels they hold.</summary>
    static float[] BoxDownsample(GrayImage image, out int w, out int h)
    {
        int k = (Math.Max(image.Width, image.Height) + WorkingSide - 1) / WorkingSide;
        w = (image.Width + k - 1) / k;
        h = (image.Height + k - 1) / k;
        var dst = new float[w * h];
        var src = image.Pixels;
        for (int by = 0; by < h; by++)
        {
            int y0 = by * k, y1 = Math.Min(y0 + k, image.Height);
            var row = dst.AsSpan(by * w, w);
            for (int y = y0; y < y1; y++)
            {
                int s = y * image.Width;
                for (int bx = 0; bx < w; bx++)
                {
                    int x1 = Math.Min((bx + 1) * k, image.Width);
                    int sum = 0;
                    for (int x = bx * k; x < x1; x++)
                        sum += src[s + x];
                    row[bx] += sum;
                }
            }
            for (int bx = 0; bx < w; bx++)
                row[bx] /= (y1 - y0) * (Math.Min((bx + 1) * k, image.Width) - bx * k);
        }
        return dst;
    }

    static void Histogram(ReadOnlySpan<float> values, Span<int> hist)
    {
        hist.Clear();
        foreach (var v in values)
            hist[Bin(v)]++;
    }

    static int Bin(float v) => (int)Math.Clamp(v + 0.5f, 0f, 255f);

    /// <summary>Otsu's threshold (1979): the gray level t that maximizes the between-class variance of
    /// {≤ t} and {&gt; t}.</summary>
    static int OtsuThreshold(ReadOnlySpan<int> hist)
    {
        long total = 0, sumAll = 0;
        for (int i = 0; i < 256; i++)
        {
            total += hist[i];
            sumAll += (long)i * hist[i];
        }
        long count0 = 0, sum0 = 0;
        double best = -1;
        int threshold = 0;
        for (int t = 0; t < 255; t++)
        {
            count0 += hist[t];
            sum0 += (long)t * hist[t];
            long count1 = total - count0;
            if (count0 == 0 || count1 == 0)
                continue;
            double mean0 = (double)sum0 / count0, mean1 = (double)(sumAll - sum0) / count1;
            double between = (double)count0 * count1 * (mean0 - mean1) * (mean0 - mean1);
            if (between > best)
            {
                best = between;
                threshold = t;
            }
        }
        return threshold;
    }

    /// <summary>Median gray level of a ring about 5 % of the shorter side wide: mostly paper, even when
    /// the digit fills the frame.</summary>
    static int BorderMedian(ReadOnlySpan<float> img, int w, int h)
    {
        int ring = Math.Max(1, Math.Min(w, h) / 20);
        Span<int> hist = stackalloc int[256];
        int count = 0;
        for (int y = 0; y < h; y++)
        {
            bool edgeRow = y < ring || y >= h - ring;
            for (int x = 0; x < w; x++)
            {
                if (edgeRow || x < ring || x >= w - ring)
                {
                    hist[Bin(img[y * w + x])]++;
                    count++;
                }
            }
        }
        return Percentile(hist, count, 0.5);
    }

    /// <summary>The smallest gray level with at least <paramref name="fraction"/> of <paramref name="count"/> at or below it.</summary>
    static int Percentile(ReadOnlySpan<int> hist, long count, double fraction)
    {
        long target = Math.Max(1, (long)Math.Ceiling(fraction * count)), seen = 0;
        for (int i = 0; i < hist.Length; i++)
        {
            seen += hist[i];
            if (seen >= target)
                return i;
        }
        return hist.Length - 1;
    }

    /// <summary>
    /// Subtracts the paper's brightness, modelled as a quadratic in x and y fitted by least squares to the
    /// pixels at or below <paramref name="threshold"/> (paper, since ink is bright by now). A gentle lighting
    /// gradient or vignette then no longer shifts the threshold across the page. Values are clamped at 0.
    /// </summary>
    static void FlattenBackground(Span<float> img, int w, int h, int threshold)
    {
        Span<double> a = stackalloc double[36];
        Span<double> b = stackalloc double[6];
        Span<double> f = stackalloc double[6];
        int step = Math.Max(1, (int)Math.Sqrt(w * (double)h / 65536));
        int samples = 0;
        for (int y = 0; y < h; y += step)
        {
            for (int x = 0; x < w; x += step)
            {
                float v = img[y * w + x];
                if (v > threshold)
                    continue;
                Features(x, y, w, h, f);
                for (int i = 0; i < 6; i++)
                {
                    b[i] += f[i] * v;
                    for (int j = 0; j < 6; j++)
                        a[i * 6 + j] += f[i] * f[j];
                }
                samples++;
            }
        }
        if (samples < 36 || !Solve(a, b))
            return;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                Features(x, y, w, h, f);
                double paper = 0;
                for (int i = 0; i < 6; i++)
                    paper += b[i] * f[i];
                img[y * w + x] = Math.Max(0f, img[y * w + x] - (float)paper);
            }
        }
    }

    /// <summary>1, x, y, x², xy, y² with x and y scaled to −1..1 so the normal equations stay well conditioned.</summary>
    static void Features(int x, int y, int w, int h, Span<double> f)
    {
        double u = 2.0 * x / Math.Max(1, w - 1) - 1, v = 2.0 * y / Math.Max(1, h - 1) - 1;
        f[0] = 1; f[1] = u; f[2] = v; f[3] = u * u; f[4] = u * v; f[5] = v * v;
    }

    /// <summary>Solves the 6 × 6 system a·x = b in place (x ends up in b) by Gaussian elimination with
    /// partial pivoting; false when the system is singular, e.g. paper seen only along one line.</summary>
    static bool Solve(Span<double> a, Span<double> b)
    {
        const int n = 6;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(a[r * n + col]) > Math.Abs(a[pivot * n + col]))
                    pivot = r;
            if (Math.Abs(a[pivot * n + col]) < 1e-9)
                return false;
            for (int c = 0; c < n; c++)
                (a[col * n + c], a[pivot * n + c]) = (a[pivot * n + c], a[col * n + c]);
            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (int r = col + 1; r < n; r++)
            {
                double factor = a[r * n + col] / a[col * n + col];
                for (int c = col; c < n; c++)
                    a[r * n + c] -= factor * a[col * n + c];
                b[r] -= factor * b[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = b[r];
            for (int c = r + 1; c < n; c++)
                sum -= a[r * n + c] * b[c];
            b[r] = sum / a[r * n + r];
        }
        return true;
    }

    /// <summary>
    /// Maps the flattened image to ink in 0..1 and finds its bounding box. Full ink is the 90th percentile
    /// of the pixels above the Otsu threshold; zero ink is the paper level plus three noise widths, so
    /// paper grain vanishes while the gray edges of strokes survive as gray. Only pixels in, or next to,
    /// connected components of at least <see cref="SpeckFraction"/> of the largest one are kept.
    /// </summary>
    static float[] ExtractInk(float[] img, int w, int h, string name, out (int X, int Y, int W, int H) box)
    {
        Span<int> hist = stackalloc int[256];
        Histogram(img, hist);
        int threshold = OtsuThreshold(hist);
        long paperCount = 0, inkCount = 0;
        for (int i = 0; i <= threshold; i++)
            paperCount += hist[i];
        for (int i = threshold + 1; i < 256; i++)
            inkCount += hist[i];
        if (inkCount == 0)
            throw new NoDigitException(name);
        int paper = Percentile(hist, paperCount, 0.5);
        int noise = Percentile(hist, paperCount, 0.84) - paper;
        int full = threshold + 1 + Percentile(hist[(threshold + 1)..], inkCount, 0.9);
        if (full - paper < MinContrast)
            throw new NoDigitException(name);
        float zero = Math.Min(paper + 3f * noise, threshold);

        var keep = KeepMask(img, w, h, threshold);
        var ink = new float[w * h];
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        float range = Math.Max(1f, full - zero);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                if (!keep[i] || img[i] <= zero)
                    continue;
                ink[i] = Math.Min(1f, (img[i] - zero) / range);
                (x0, x1, y0, y1) = (Math.Min(x0, x), Math.Max(x1, x), Math.Min(y0, y), Math.Max(y1, y));
            }
        }
        if (x1 < 0)
            throw new NoDigitException(name);
        box = (x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        return ink;
    }

    /// <summary>Pixels of the ink components worth keeping (8-connected, above <paramref name="threshold"/>),
    /// grown by one pixel so antialiased edges below the threshold stay.</summary>
    static bool[] KeepMask(float[] img, int w, int h, int threshold)
    {
        var labels = new int[w * h];
        var areas = new List<int> { 0 };
        var stack = new Stack<int>();
        for (int start = 0; start < labels.Length; start++)
        {
            if (labels[start] != 0 || img[start] <= threshold)
                continue;
            int label = areas.Count, area = 0;
            labels[start] = label;
            stack.Push(start);
            while (stack.TryPop(out int p))
            {
                area++;
                int px = p % w, py = p / w;
                for (int ny = Math.Max(0, py - 1); ny <= Math.Min(h - 1, py + 1); ny++)
                {
                    for (int nx = Math.Max(0, px - 1); nx <= Math.Min(w - 1, px + 1); nx++)
                    {
                        int q = ny * w + nx;
                        if (labels[q] == 0 && img[q] > threshold)
                        {
                            labels[q] = label;
                            stack.Push(q);
                        }
                    }
                }
            }
            areas.Add(area);
        }
        int minArea = (int)Math.Ceiling(SpeckFraction * areas.Max());
        var keep = new bool[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int label = labels[y * w + x];
                if (label == 0 || areas[label] < minArea)
                    continue;
                for (int ny = Math.Max(0, y - 1); ny <= Math.Min(h - 1, y + 1); ny++)
                    for (int nx = Math.Max(0, x - 1); nx <= Math.Min(w - 1, x + 1); nx++)
                        keep[ny * w + nx] = true;
            }
        }
        return keep;
    }

    /// <summary>
    /// Resamples the ink inside <paramref name="box"/> into the 28 × 28 field in one separable pass:
    /// longer side to <see cref="BoxSize"/> px, centre of mass to (<see cref="Centre"/>, <see cref="Centre"/>).
    /// The offset is first predicted from the source's centre of mass, then corrected once by the error
    /// measured on the result, so the final centre is accurate to well under a tenth of a pixel.
    /// </summary>
    static void PlaceCentred(float[] ink, int stride, (int X, int Y, int W, int H) box, float[] field)
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
        var wx = new float[Size * box.W];
        var wy = new float[Size * box.H];
        var rows = new float[box.H * Size];
        for (int pass = 0; pass < 2; pass++)
        {
            ResampleWeights(box.W, scale, offsetX, wx);
            ResampleWeights(box.H, scale, offsetY, wy);
            Array.Clear(rows);
            for (int y = 0; y < box.H; y++)
            {
                var src = ink.AsSpan((box.Y + y) * stride + box.X, box.W);
                var dst = rows.AsSpan(y * Size, Size);
                for (int X = 0; X < Size; X++)
                    dst[X] = Dot(src, wx.AsSpan(X * box.W, box.W));
            }
            for (int Y = 0; Y < Size; Y++)
            {
                var dst = field.AsSpan(Y * Size, Size);
                dst.Clear();
                for (int y = 0; y < box.H; y++)
                {
                    float weight = wy[Y * box.H + y];
                    if (weight == 0f)
                        continue;
                    var src = rows.AsSpan(y * Size, Size);
                    for (int X = 0; X < Size; X++)
                        dst[X] += weight * src[X];
                }
            }
            var (cx, cy) = CentreOfMass(field, Size, Size);
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

    static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <summary>
    /// One axis of the resampling, as a dense <c>28 × srcLength</c> weight matrix (row = output pixel).
    /// Shrinking averages the source over each output pixel's footprint (area / box filter, no aliasing);
    /// enlarging interpolates linearly between the two nearest source centres. Outside the source is paper (0).
    /// </summary>
    static void ResampleWeights(int srcLength, double scale, double offset, Span<float> weights)
    {
        weights.Clear();
        for (int o = 0; o < Size; o++)
        {
            var row = weights.Slice(o * srcLength, srcLength);
            if (scale <= 1)
            {
                double a = (o - offset) / scale, b = (o + 1 - offset) / scale;
                int first = Math.Max(0, (int)Math.Floor(a)), last = Math.Min(srcLength - 1, (int)Math.Ceiling(b) - 1);
                for (int i = first; i <= last; i++)
                    row[i] = (float)(Math.Max(0, Math.Min(b, i + 1) - Math.Max(a, i)) * scale);
            }
            else
            {
                double u = (o + 0.5 - offset) / scale - 0.5;
                int i0 = (int)Math.Floor(u);
                float frac = (float)(u - i0);
                if (i0 >= 0 && i0 < srcLength)
                    row[i0] = 1f - frac;
                if (i0 + 1 >= 0 && i0 + 1 < srcLength)
                    row[i0 + 1] = frac;
            }
        }
    }

    /// <summary>Intensity-weighted centre in pixel-centre coordinates; NaN for an empty image.</summary>
    internal static (double X, double Y) CentreOfMass(ReadOnlySpan<float> img, int w, int h)
    {
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                float v = img[y * w + x];
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        return mass > 0 ? (mx / mass, my / mass) : (double.NaN, double.NaN);
    }
}
