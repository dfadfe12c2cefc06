namespace Digits.Imaging;

/// <summary>
/// The separate marks in the ink that <see cref="InkExtraction"/> found, and the measures
/// <see cref="MnistNormalizer"/> judges them by: is this a speck, noise, one digit or several side by side?
/// </summary>
/// <remarks>
/// A mark is a connected component (8-connected) of the ink proper (pixels above Otsu's threshold) after a
/// square dilation of <see cref="DilationFraction"/> of the ink's height, so a digit drawn in two strokes
/// that nearly touch (a broken 4, 5 or 7) is one mark. Each mark keeps the box and pixel count of its own
/// ink, not of the dilated area. All sizes are in working pixels.
/// </remarks>
internal static class InkMarks
{
    /// <summary>One mark: the box of its ink and how many ink pixels it holds.</summary>
    internal readonly record struct Mark(int X, int Y, int W, int H, int Pixels)
    {
        public int Right => X + W;
    }

    /// <summary>What <see cref="Measure"/> found.</summary>
    /// <param name="Marks">Marks ordered by their left edge.</param>
    /// <param name="LargestSpan">The longest side of any mark's box; 0 without marks.</param>
    /// <param name="WorkingSide">Longer side of the working image.</param>
    /// <param name="NeighbourCorrelation">See <see cref="InkExtraction.Ink"/>.</param>
    /// <param name="SideBySide">Marks of similar size (see <see cref="MnistNormalizer"/>) with clear gaps
    /// between them, counted left to right; 1 for a single digit.</param>
    /// <param name="WidestGap">The widest horizontal gap between neighbouring marks of similar size, as a
    /// fraction of the tallest mark's height; negative when they overlap, −∞ with fewer than two such marks.</param>
    internal readonly record struct Measures(
        IReadOnlyList<Mark> Marks, int LargestSpan, int WorkingSide, double NeighbourCorrelation, int SideBySide, double WidestGap);

    /// <summary>Dilation radius as a fraction of the ink's height (at least 1 px): closes gaps of up to about
    /// 2 × 0.05 = 10 % of the digit's height, 2 px at MNIST's 20 px.</summary>
    internal const double DilationFraction = 0.05;

    /// <summary>A mark counts as digit-sized beside the tallest when it is at least this fraction of its height …</summary>
    internal const double SimilarHeight = 0.5;

    /// <summary>… and holds at least this fraction of the most ink in any mark, low enough that a thin 1 still counts beside a bold 0.</summary>
    internal const double SimilarInk = 0.15;

    /// <summary>Digit-sized marks whose boxes are this far apart horizontally, as a fraction of the tallest
    /// mark's height, are separate digits: above MNIST's widest such gap, 0.25 (see <see cref="MnistNormalizer"/>).</summary>
    internal const double SeparatingGap = 0.35;

    /// <summary>Finds and measures the marks. Works in this thread's <see cref="PipelineScratch"/>, only over the ink's box
    /// grown by the dilation radius (there is no ink outside it), so <see cref="Measures.Marks"/> is valid until the
    /// thread's next call.</summary>
    public static Measures Measure(InkExtraction.Ink ink)
    {
        var scratch = PipelineScratch.ForThisThread;
        int radius = Math.Max(1, (int)Math.Round(DilationFraction * ink.Box.H));
        int rx = Math.Max(0, ink.Box.X - radius), ry = Math.Max(0, ink.Box.Y - radius);
        int rw = Math.Min(ink.Width, ink.Box.X + ink.Box.W + radius) - rx, rh = Math.Min(ink.Height, ink.Box.Y + ink.Box.H + radius) - ry;
        int n = rw * rh;
        var strokes = PipelineScratch.Ensure(ref scratch.Strokes, n).AsSpan(0, n);
        for (int y = 0; y < rh; y++)
        {
            var src = ink.Pixels.AsSpan((ry + y) * ink.Width + rx, rw);
            var dst = strokes.Slice(y * rw, rw);
            for (int x = 0; x < rw; x++)
                dst[x] = src[x] > ink.Level;
        }
        var grown = Dilate(strokes, rw, rh, radius, scratch);
        var marks = scratch.Marks;
        marks.Clear();
        Label(strokes, grown, rw, rh, rx, ry, marks, scratch);
        marks.Sort((a, b) => a.X.CompareTo(b.X));
        int largestSpan = 0;
        foreach (var m in marks)
            largestSpan = Math.Max(largestSpan, Math.Max(m.W, m.H));
        var (sideBySide, widestGap) = CountSideBySide(marks);
        return new Measures(marks, largestSpan, Math.Max(ink.Width, ink.Height), ink.NeighbourCorrelation, sideBySide, widestGap);
    }

    /// <summary>Square (Chebyshev) dilation by <paramref name="radius"/>, separably: rows, then columns,
    /// each a sliding count over 2·radius + 1 pixels.</summary>
    static Span<bool> Dilate(Span<bool> mask, int w, int h, int radius, PipelineScratch scratch)
    {
        int n = w * h;
        var rows = PipelineScratch.Ensure(ref scratch.Dilated, n).AsSpan(0, n);
        for (int y = 0; y < h; y++)
            DilateLine(mask, rows, y * w, 1, w, radius);
        var both = PipelineScratch.Ensure(ref scratch.Grown, n).AsSpan(0, n);
        for (int x = 0; x < w; x++)
            DilateLine(rows, both, x, w, h, radius);
        return both;
    }

    static void DilateLine(Span<bool> src, Span<bool> dst, int start, int step, int length, int radius)
    {
        int count = 0;
        for (int i = 0; i < Math.Min(radius, length); i++)
            count += src[start + i * step] ? 1 : 0;
        for (int i = 0; i < length; i++)
        {
            if (i + radius < length && src[start + (i + radius) * step])
                count++;
            if (i - radius - 1 >= 0 && src[start + (i - radius - 1) * step])
                count--;
            dst[start + i * step] = count > 0;
        }
    }

    /// <summary>The 8-connected components of <paramref name="grown"/>, each measured by the pixels of
    /// <paramref name="strokes"/> it covers, in the coordinates of the whole working image (the region's corner is
    /// (<paramref name="ox"/>, <paramref name="oy"/>)).</summary>
    static void Label(Span<bool> strokes, Span<bool> grown, int w, int h, int ox, int oy, List<Mark> marks, PipelineScratch scratch)
    {
        int n = w * h;
        var seen = PipelineScratch.Ensure(ref scratch.Seen, n).AsSpan(0, n);
        var stack = PipelineScratch.Ensure(ref scratch.Stack, n);
        seen.Clear();
        for (int start = 0; start < n; start++)
        {
            if (seen[start] || !grown[start])
                continue;
            int x0 = w, y0 = h, x1 = -1, y1 = -1, pixels = 0, top = 0;
            seen[start] = true;
            stack[top++] = start;
            while (top > 0)
            {
                int p = stack[--top];
                int px = p % w, py = p / w;
                if (strokes[p])
                {
                    pixels++;
                    (x0, x1, y0, y1) = (Math.Min(x0, px), Math.Max(x1, px), Math.Min(y0, py), Math.Max(y1, py));
                }
                for (int ny = Math.Max(0, py - 1); ny <= Math.Min(h - 1, py + 1); ny++)
                {
                    for (int nx = Math.Max(0, px - 1); nx <= Math.Min(w - 1, px + 1); nx++)
                    {
                        int q = ny * w + nx;
                        if (!seen[q] && grown[q])
                        {
                            seen[q] = true;
                            stack[top++] = q;
                        }
                    }
                }
            }
            marks.Add(new Mark(ox + x0, oy + y0, x1 - x0 + 1, y1 - y0 + 1, pixels));
        }
    }

    /// <summary>
    /// Groups the digit-sized marks (ordered by left edge) into runs that overlap or nearly touch
    /// horizontally; a gap of at least <see cref="SeparatingGap"/> of the tallest mark's height starts a
    /// new run. Returns the number of runs and the widest gap seen, as a fraction of that height.
    /// </summary>
    static (int Count, double WidestGap) CountSideBySide(List<Mark> marks)
    {
        if (marks.Count < 2)
            return (1, double.NegativeInfinity);
        int tallest = 0, mostInk = 0;
        foreach (var m in marks)
            (tallest, mostInk) = (Math.Max(tallest, m.H), Math.Max(mostInk, m.Pixels));
        int count = 0, right = int.MinValue;
        double widest = double.NegativeInfinity;
        foreach (var m in marks)
        {
            if (m.H < SimilarHeight * tallest || m.Pixels < SimilarInk * mostInk)
                continue;
            if (count == 0)
            {
                count = 1;
            }
            else
            {
                double gap = (double)(m.X - right) / tallest;
                widest = Math.Max(widest, gap);
                if (gap >= SeparatingGap)
                    count++;
            }
            right = Math.Max(right, m.Right);
        }
        return (count, widest);
    }

    /// <summary>Phi coefficient of the mask {<paramref name="labels"/> ≠ 0} (the pixels above Otsu's threshold) over all
    /// horizontally and vertically adjacent pixel pairs: (P(both) − p²) / (p(1 − p)), with p the share of masked pixels
    /// among the pairs' ends; 0 when the mask or its complement is empty.</summary>
    internal static double NeighbourCorrelation(ReadOnlySpan<int> labels, int w, int h)
    {
        long pairs = (long)(w - 1) * h + (long)w * (h - 1), both = 0, ends = 0;
        for (int y = 0; y < h; y++)
        {
            var row = labels.Slice(y * w, w);
            int first = row.IndexOfAnyExcept(0);
            if (first < 0)
                continue;
            int last = row.LastIndexOfAnyExcept(0);
            bool below = y + 1 < h;
            for (int x = first; x <= last; x++)
            {
                if (row[x] == 0)
                    continue;
                // Each masked pixel is the end of up to four pairs; count the pairs it starts to the right and below.
                int neighbours = (x > 0 ? 1 : 0) + (x + 1 < w ? 1 : 0) + (y > 0 ? 1 : 0) + (below ? 1 : 0);
                ends += neighbours;
                if (x + 1 < w && row[x + 1] != 0)
                    both++;
                if (below && labels[(y + 1) * w + x] != 0)
                    both++;
            }
        }
        if (pairs <= 0)
            return 0;
        double p = ends / (2.0 * pairs);
        return p <= 0 || p >= 1 ? 0 : ((double)both / pairs - p * p) / (p * (1 - p));
    }
}
