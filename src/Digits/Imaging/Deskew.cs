namespace Digits.Imaging;

/// <summary>
/// Moment-based deskewing of white-on-black digit images, the "deskew" preprocessing that LeCun et al.
/// (1998, "Gradient-based learning applied to document recognition", and the MNIST page's "deskewing"
/// rows) use for MNIST: a slanted digit is sheared horizontally until its principal axis is vertical.
/// </summary>
/// <remarks>
/// With centre of mass (cx, cy) and central moments mu11 = Σ I·(x − cx)(y − cy), mu02 = Σ I·(y − cy)²,
/// the shear x' = x − α·(y − cy) with α = mu11 / mu02 makes the cross moment zero. The shear moves no
/// mass vertically and keeps the mean x, so the centre of mass, and therefore the centring done by
/// <see cref="MnistNormalizer"/>, stays where it was. Each row is resampled linearly, so no allocation happens.
/// </remarks>
public static class Deskew
{
    /// <summary>Largest shear applied, in pixels of horizontal shift per row (45°). A near-horizontal
    /// stroke has a tiny mu02, and an unbounded α would smear it across the field.</summary>
    const double MaxShear = 1.0;

    /// <summary>Deskews one <paramref name="width"/> × <paramref name="height"/> image from
    /// <paramref name="src"/> into <paramref name="dst"/> (they must not overlap).</summary>
    public static void Apply(ReadOnlySpan<byte> src, Span<byte> dst, int width = 28, int height = 28)
    {
        CheckSizes(src.Length, dst.Length, width, height, 1);
        double alpha = Math.Clamp(SkewMoment(src, width, height), -MaxShear, MaxShear);
        double cy = CentreRow(src, width, height);
        for (int y = 0; y < height; y++)
        {
            var srcRow = src.Slice(y * width, width);
            var dstRow = dst.Slice(y * width, width);
            double shift = alpha * (y - cy);
            for (int x = 0; x < width; x++)
            {
                // dst(x, y) = src(x + α·(y − cy), y), linear between the two nearest source pixels.
                double u = x + shift;
                int i0 = (int)Math.Floor(u);
                double frac = u - i0;
                double left = i0 >= 0 && i0 < width ? srcRow[i0] : 0;
                double right = i0 + 1 >= 0 && i0 + 1 < width ? srcRow[i0 + 1] : 0;
                dstRow[x] = (byte)Math.Round(left + frac * (right - left));
            }
        }
    }

    /// <summary>Deskews <paramref name="count"/> consecutive 28 × 28 images.</summary>
    public static void ApplyAll(ReadOnlySpan<byte> images, Span<byte> dst, int count)
    {
        const int pixels = MnistNormalizer.Size * MnistNormalizer.Size;
        CheckSizes(images.Length, dst.Length, MnistNormalizer.Size, MnistNormalizer.Size, count);
        for (int i = 0; i < count; i++)
            Apply(images.Slice(i * pixels, pixels), dst.Slice(i * pixels, pixels));
    }

    /// <summary>
    /// The slant α = mu11 / mu02: horizontal shift in pixels per row downwards, positive when the digit
    /// leans like a backslash (bottom further right). 0 for an upright digit and for an empty image.
    /// </summary>
    public static double SkewMoment(ReadOnlySpan<byte> img, int width = 28, int height = 28)
    {
        CheckSizes(img.Length, img.Length, width, height, 1);
        double mass = 0, sx = 0, sy = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int v = img[y * width + x];
                mass += v;
                sx += v * x;
                sy += v * y;
            }
        }
        if (mass == 0)
            return 0;
        double cx = sx / mass, cy = sy / mass, mu11 = 0, mu02 = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int v = img[y * width + x];
                mu11 += v * (x - cx) * (y - cy);
                mu02 += v * (y - cy) * (y - cy);
            }
        }
        return mu02 > 0 ? mu11 / mu02 : 0;
    }

    static double CentreRow(ReadOnlySpan<byte> img, int width, int height)
    {
        double mass = 0, sy = 0;
        for (int y = 0; y < height; y++)
        {
            int rowMass = 0;
            foreach (var v in img.Slice(y * width, width))
                rowMass += v;
            mass += rowMass;
            sy += (double)rowMass * y;
        }
        return mass > 0 ? sy / mass : (height - 1) / 2.0;
    }

    static void CheckSizes(int srcLength, int dstLength, int width, int height, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long needed = (long)width * height * count;
        if (srcLength != needed)
            throw new ArgumentException($"source must hold {needed} bytes ({count} × {width} × {height}), has {srcLength}");
        if (dstLength != needed)
            throw new ArgumentException($"destination must hold {needed} bytes ({count} × {width} × {height}), has {dstLength}");
    }
}
