using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Digits.Imaging;

/// <summary>
/// Finds the ink in a photo, scan or drawing of one digit, as a map of ink strength in 0..1 (1 = full ink)
/// at a working resolution whose longer side is at most <see cref="WorkingSide"/> px.
/// </summary>
/// <remarks>
/// Polarity comes from the border (paper surrounds the digit); a smooth paper background, fitted as a
/// quadratic, is subtracted so a lighting gradient does not move the threshold; Otsu's threshold then
/// separates ink from paper; connected components far smaller than the largest (dust, specks) are dropped.
/// </remarks>
internal static class InkExtraction
{
    /// <summary>Ink strength per working pixel, row-major, and the bounding box of all nonzero ink.</summary>
    /// <param name="Level">Ink strength of Otsu's threshold: stronger pixels are ink proper, weaker nonzero
    /// ones the antialiased edges kept beside it.</param>
    /// <param name="Scale">Input pixels per working pixel along each axis (the box-averaging factor).</param>
    /// <param name="NeighbourCorrelation">How much more often than chance two adjacent working pixels are both
    /// above Otsu's threshold, before specks are dropped (<see cref="InkMarks.NeighbourCorrelation"/>): strokes
    /// give well above 0, independent noise about 0.</param>
    internal readonly record struct Ink(
        float[] Pixels, int Width, int Height, (int X, int Y, int W, int H) Box, float Level, int Scale, double NeighbourCorrelation);

    /// <summary>
    /// Photos are box-averaged down to this longer side first (and JPEG files decoded at the smallest scale that keeps
    /// it, see <see cref="ImageDecoder.DecodeInto"/>): a 20 px digit needs no more. Chosen on the validation scans
    /// (`Digits.Bench working-side /tmp/val-scans 512 256 224 192 160 128`, 2,000 images of `digits data synth-scans
    /// --split validation --seed 2`, bundled model): 99.40% at every size from 512 down to 128 (99.45% at 256), so the
    /// largest size that meets the pipeline's speed targets (`Digits.Bench pipeline`): at 224 a 0.15 MP JPEG is decoded
    /// at half size. Settable only for that experiment.
    /// </summary>
    internal static int WorkingSide { get; set; } = 224;

    /// <summary>Ink components smaller than this fraction of the largest one are specks and are dropped.</summary>
    const double SpeckFraction = 0.05;

    /// <summary>Least difference, in gray levels, between full ink and paper for the ink to count.</summary>
    const float MinContrast = 32f;

    /// <summary>Background samples for the paper fit: about this many, on a regular grid.</summary>
    const int BackgroundSamples = 4096;

    /// <summary>The ink of <paramref name="image"/>, or null when nothing stands out from the paper;
    /// <paramref name="inkIsDark"/> null means detect the polarity.</summary>
    public static Ink? Extract(GrayImage image, bool? inkIsDark) => Extract(image.Pixels, image.Width, image.Height, inkIsDark);

    /// <summary>As <see cref="Extract(GrayImage, bool?)"/>, for <paramref name="width"/> × <paramref name="height"/> gray
    /// bytes; works in this thread's <see cref="PipelineScratch"/>, so the result is valid until its next call.</summary>
    public static Ink? Extract(ReadOnlySpan<byte> gray, int width, int height, bool? inkIsDark)
    {
        var scratch = PipelineScratch.ForThisThread;
        int k = (Math.Max(width, height) + WorkingSide - 1) / WorkingSide;
        int w = (width + k - 1) / k, h = (height + k - 1) / k;
        var work = PipelineScratch.Ensure(ref scratch.Work, w * h).AsSpan(0, w * h);
        BoxDownsample(gray, width, height, k, work, w, h, scratch);
        Span<int> hist = stackalloc int[256];
        Histogram(work, hist);
        if (inkIsDark ?? BorderMedian(work, w, h) > OtsuThreshold(hist))
        {
            TensorPrimitives.Negate(work, work);
            TensorPrimitives.Add(work, 255f, work);
            Histogram(work, hist);
        }
        FlattenBackground(work, w, h, OtsuThreshold(hist), scratch);
        return FindInk(work, w, h, k, scratch);
    }

    /// <summary>Averages k × k blocks (k the smallest integer that brings the longer side to at most
    /// <see cref="WorkingSide"/>); edge blocks average only the pixels they hold.</summary>
    static void BoxDownsample(ReadOnlySpan<byte> src, int width, int height, int k, Span<float> dst, int w, int h, PipelineScratch scratch)
    {
        if (k == 1)
        {
            ToFloats(src[..(width * height)], dst);
            return;
        }
        var sums = PipelineScratch.Ensure(ref scratch.ColumnSums, width).AsSpan(0, width);
        for (int by = 0; by < h; by++)
        {
            int y0 = by * k, y1 = Math.Min(y0 + k, height);
            sums.Clear();
            for (int y = y0; y < y1; y++)
                AddRow(src.Slice(y * width, width), sums);
            var row = dst.Slice(by * w, w);
            for (int bx = 0; bx < w; bx++)
            {
                int x0 = bx * k, x1 = Math.Min(x0 + k, width);
                int sum = 0;
                for (int x = x0; x < x1; x++)
                    sum += sums[x];
                row[bx] = (float)sum / ((y1 - y0) * (x1 - x0));
            }
        }
    }

    /// <summary>Gray bytes to floats, 16 at a time.</summary>
    static void ToFloats(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int i = 0;
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref float d = ref MemoryMarshal.GetReference(dst);
        for (; i + 16 <= src.Length; i += 16)
        {
            var (a, b) = Widen16(ref s, i);
            Vector256.ConvertToSingle(a).StoreUnsafe(ref d, (nuint)i);
            Vector256.ConvertToSingle(b).StoreUnsafe(ref d, (nuint)i + 8);
        }
        for (; i < src.Length; i++)
            dst[i] = src[i];
    }

    /// <summary>The 16 bytes at <paramref name="s"/> + <paramref name="i"/> as two vectors of 8 ints.</summary>
    static (Vector256<int> Low, Vector256<int> High) Widen16(ref byte s, int i)
    {
        var (lo, hi) = Vector128.Widen(Vector128.LoadUnsafe(ref s, (nuint)i));
        var (a, b) = Vector256.Widen(Vector256.Create(lo, hi));
        return (a.AsInt32(), b.AsInt32());
    }

    /// <summary>Adds one row of gray bytes to the column sums, 16 at a time.</summary>
    static void AddRow(ReadOnlySpan<byte> src, Span<int> sums)
    {
        int i = 0;
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref int d = ref MemoryMarshal.GetReference(sums);
        for (; i + 16 <= src.Length; i += 16)
        {
            var (a, b) = Widen16(ref s, i);
            (Vector256.LoadUnsafe(ref d, (nuint)i) + a).StoreUnsafe(ref d, (nuint)i);
            (Vector256.LoadUnsafe(ref d, (nuint)i + 8) + b).StoreUnsafe(ref d, (nuint)i + 8);
        }
        for (; i < src.Length; i++)
            sums[i] += src[i];
    }

    /// <summary>
    /// Counts <see cref="Bin"/> of every value. Paper fills a few bins, so one table would make each count wait for the
    /// one before it; four tables, one per lane group of 8, keep the counts independent, and the bins are computed 8 at a time.
    /// </summary>
    static void Histogram(ReadOnlySpan<float> values, Span<int> hist)
    {
        Span<int> tables = stackalloc int[4 * 256];
        tables.Clear();
        Span<int> bins = stackalloc int[32];
        int i = 0;
        ref float v = ref MemoryMarshal.GetReference(values);
        ref int b = ref MemoryMarshal.GetReference(bins);
        var half = Vector256.Create(0.5f);
        var top = Vector256.Create(255f);
        for (; i + 32 <= values.Length; i += 32)
        {
            for (int part = 0; part < 4; part++)
            {
                var x = Vector256.Min(Vector256.Max(Vector256.LoadUnsafe(ref v, (nuint)(i + part * 8)) + half, Vector256<float>.Zero), top);
                Vector256.ConvertToInt32(x).StoreUnsafe(ref b, (nuint)(part * 8));
            }
            for (int j = 0; j < 8; j++)
            {
                tables[bins[j]]++;
                tables[256 + bins[8 + j]]++;
                tables[512 + bins[16 + j]]++;
                tables[768 + bins[24 + j]]++;
            }
        }
        for (; i < values.Length; i++)
            tables[Bin(values[i])]++;
        for (int k = 0; k < 256; k++)
            hist[k] = tables[k] + tables[256 + k] + tables[512 + k] + tables[768 + k];
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
        hist.Clear();
        int count = 0;
        for (int y = 0; y < h; y++)
        {
            var row = img.Slice(y * w, w);
            if (y < ring || y >= h - ring)
            {
                foreach (float v in row)
                    hist[Bin(v)]++;
                count += w;
                continue;
            }
            // A middle row: only its ring-wide ends (all of it when the ends overlap).
            int left = Math.Min(ring, w), right = Math.Max(left, w - ring);
            foreach (float v in row[..left])
                hist[Bin(v)]++;
            foreach (float v in row[right..])
                hist[Bin(v)]++;
            count += left + (w - right);
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
    /// pixels at or below <paramref name="threshold"/> (paper, since ink is bright by now), sampled on a grid of about
    /// <see cref="BackgroundSamples"/> points. A gentle lighting gradient or vignette then no longer shifts the
    /// threshold across the page. Values are clamped at 0.
    /// </summary>
    static void FlattenBackground(Span<float> img, int w, int h, int threshold, PipelineScratch scratch)
    {
        Span<double> a = stackalloc double[36];
        Span<double> b = stackalloc double[6];
        Span<double> f = stackalloc double[6];
        a.Clear();
        b.Clear();
        int step = Math.Max(1, (int)Math.Sqrt(w * (double)h / BackgroundSamples));
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
                    for (int j = i; j < 6; j++)
                        a[i * 6 + j] += f[i] * f[j];
                }
                samples++;
            }
        }
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < i; j++)
                a[i * 6 + j] = a[j * 6 + i];
        }
        if (samples < 36 || !Solve(a, b))
            return;
        // paper(x, y) = (b0 + b2·v + b5·v²) + (b1 + b4·v)·u + b3·u², with u per column and v per row.
        var u = PipelineScratch.Ensure(ref scratch.Columns, 2 * w).AsSpan(0, 2 * w);
        for (int x = 0; x < w; x++)
        {
            Features(x, 0, w, h, f);
            u[x] = (float)f[1];
            u[w + x] = (float)f[3];
        }
        for (int y = 0; y < h; y++)
        {
            Features(0, y, w, h, f);
            double v = f[2];
            var c0 = (float)(b[0] + b[2] * v + b[5] * v * v);
            var c1 = (float)(b[1] + b[4] * v);
            SubtractQuadratic(img.Slice(y * w, w), u[..w], u[w..], c0, c1, (float)b[3]);
        }
    }

    /// <summary>row = max(0, row − (c0 + c1·u + c2·u²)), 8 at a time.</summary>
    static void SubtractQuadratic(Span<float> row, ReadOnlySpan<float> u, ReadOnlySpan<float> u2, float c0, float c1, float c2)
    {
        int i = 0;
        ref float r = ref MemoryMarshal.GetReference(row);
        ref float pu = ref MemoryMarshal.GetReference(u);
        ref float pu2 = ref MemoryMarshal.GetReference(u2);
        var v0 = Vector256.Create(c0);
        var v1 = Vector256.Create(c1);
        var v2 = Vector256.Create(c2);
        for (; i + 8 <= row.Length; i += 8)
        {
            var paper = v0 + v1 * Vector256.LoadUnsafe(ref pu, (nuint)i) + v2 * Vector256.LoadUnsafe(ref pu2, (nuint)i);
            Vector256.Max(Vector256<float>.Zero, Vector256.LoadUnsafe(ref r, (nuint)i) - paper).StoreUnsafe(ref r, (nuint)i);
        }
        for (; i < row.Length; i++)
            row[i] = Math.Max(0f, row[i] - (c0 + c1 * u[i] + c2 * u2[i]));
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
            {
                if (Math.Abs(a[r * n + col]) > Math.Abs(a[pivot * n + col]))
                    pivot = r;
            }
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
    static Ink? FindInk(Span<float> img, int w, int h, int scale, PipelineScratch scratch)
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
            return null;
        int paper = Percentile(hist, paperCount, 0.5);
        int noise = Percentile(hist, paperCount, 0.84) - paper;
        int full = threshold + 1 + Percentile(hist[(threshold + 1)..], inkCount, 0.9);
        if (full - paper < MinContrast)
            return null;
        float zero = Math.Min(paper + 3f * noise, threshold);

        int n = w * h;
        var keep = KeepMask(img, w, h, threshold, scratch);
        var ink = PipelineScratch.Ensure(ref scratch.Ink, n);
        ink.AsSpan(0, n).Clear();
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        float range = Math.Max(1f, full - zero);
        for (int y = 0; y < h; y++)
        {
            int rowStart = y * w;
            int first = keep.Slice(rowStart, w).IndexOf(true);
            if (first < 0)
                continue;
            int last = keep.Slice(rowStart, w).LastIndexOf(true);
            for (int x = first; x <= last; x++)
            {
                int i = rowStart + x;
                if (!keep[i] || img[i] <= zero)
                    continue;
                ink[i] = Math.Min(1f, (img[i] - zero) / range);
                (x0, x1, y0, y1) = (Math.Min(x0, x), Math.Max(x1, x), Math.Min(y0, y), Math.Max(y1, y));
            }
        }
        if (x1 < 0)
            return null;
        return new Ink(ink, w, h, (x0, y0, x1 - x0 + 1, y1 - y0 + 1), (threshold - zero) / range, scale,
            InkMarks.NeighbourCorrelation(scratch.Labels.AsSpan(0, n), w, h));
    }

    /// <summary>The first index at or after <paramref name="start"/> whose value is above <paramref name="threshold"/>,
    /// 8 values at a time; the length when there is none.</summary>
    static int NextAbove(ReadOnlySpan<float> img, int start, float threshold)
    {
        int i = start;
        ref float v = ref MemoryMarshal.GetReference(img);
        var limit = Vector256.Create(threshold);
        for (; i + 8 <= img.Length; i += 8)
        {
            uint above = Vector256.GreaterThan(Vector256.LoadUnsafe(ref v, (nuint)i), limit).ExtractMostSignificantBits();
            if (above != 0)
                return i + BitOperations.TrailingZeroCount(above);
        }
        for (; i < img.Length; i++)
        {
            if (img[i] > threshold)
                return i;
        }
        return img.Length;
    }

    /// <summary>Pixels of the ink components worth keeping (8-connected, above <paramref name="threshold"/>),
    /// grown by one pixel so antialiased edges below the threshold stay. Leaves each pixel's component label (0 for
    /// none) in <see cref="PipelineScratch.Labels"/>.</summary>
    static Span<bool> KeepMask(ReadOnlySpan<float> img, int w, int h, int threshold, PipelineScratch scratch)
    {
        int n = w * h;
        var labels = PipelineScratch.Ensure(ref scratch.Labels, n).AsSpan(0, n);
        var stack = PipelineScratch.Ensure(ref scratch.Stack, n);
        var areas = scratch.Areas;
        labels.Clear();
        areas.Clear();
        areas.Add(0);
        int largest = 0;
        for (int start = NextAbove(img, 0, threshold); start < n; start = NextAbove(img, start + 1, threshold))
        {
            if (labels[start] != 0)
                continue;
            int label = areas.Count, area = 0, top = 0;
            labels[start] = label;
            stack[top++] = start;
            while (top > 0)
            {
                int p = stack[--top];
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
                            stack[top++] = q;
                        }
                    }
                }
            }
            areas.Add(area);
            largest = Math.Max(largest, area);
        }
        int minArea = (int)Math.Ceiling(SpeckFraction * largest);
        var keep = PipelineScratch.Ensure(ref scratch.Keep, n).AsSpan(0, n);
        keep.Clear();
        for (int y = 0; y < h; y++)
        {
            var row = labels.Slice(y * w, w);
            int first = row.IndexOfAnyExcept(0);
            if (first < 0)
                continue;
            int last = row.LastIndexOfAnyExcept(0);
            for (int x = first; x <= last; x++)
            {
                int label = row[x];
                if (label == 0 || areas[label] < minArea)
                    continue;
                for (int ny = Math.Max(0, y - 1); ny <= Math.Min(h - 1, y + 1); ny++)
                {
                    for (int nx = Math.Max(0, x - 1); nx <= Math.Min(w - 1, x + 1); nx++)
                        keep[ny * w + nx] = true;
                }
            }
        }
        return keep;
    }
}
