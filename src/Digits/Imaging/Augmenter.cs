namespace Digits.Imaging;

/// <summary>
/// How strongly <see cref="Augmenter"/> distorts each training image. Every draw is uniform in [−max, max].
/// The defaults are the usual MNIST ones: ±10° rotation, ±10% scale, ±0.15 shear, ±2 px shift, no elastic field.
/// </summary>
/// <param name="RotationDegrees">Largest rotation, in degrees.</param>
/// <param name="Scale">Largest relative size change: 0.1 scales by a factor in [0.9, 1.1].</param>
/// <param name="Shear">Largest horizontal shear, in pixels of x shift per pixel of y.</param>
/// <param name="TranslationPixels">Largest shift in x and in y, in pixels (continuous, resampled bilinearly).</param>
/// <param name="ElasticAlpha">Scale α of the elastic field in pixels (Simard et al. 2003 use 34); 0 turns it off.</param>
/// <param name="ElasticSigma">Smoothing σ of the elastic field in pixels (Simard et al. 2003 use 4).</param>
/// <param name="StrokePixels">Stroke width change: each image's strokes get up to this many pixels wider, or up to a
/// quarter of it narrower, as a heavier or lighter pen, or a small digit on a photo, gives them once scaled to 28×28;
/// done by grayscale dilation or erosion over 3×3 windows (one pass widens a stroke by 2 pixels; a fraction of a pass
/// is blended). 0 turns it off.</param>
/// <param name="HollowShare">Share of images (0 to 1) drawn as hollow, outlined strokes, as bubble lettering and
/// outline pens give: the strokes are widened by one pass of the 3×3 maximum and the result less its 3×3 minimum is
/// kept, a one-pixel contour on each side of a hole as wide as the stroke was. 0 turns it off.</param>
public sealed record AugmentationSettings(
    float RotationDegrees = 10f,
    float Scale = 0.1f,
    float Shear = 0.15f,
    float TranslationPixels = 2f,
    float ElasticAlpha = 0f,
    float ElasticSigma = 4f,
    float StrokePixels = 0f,
    float HollowShare = 0f)
{
    /// <summary>No distortion at all: the output equals the input.</summary>
    public static AugmentationSettings None { get; } = new(0f, 0f, 0f, 0f, 0f);

    /// <summary>This strength multiplied by <paramref name="factor"/> (elastic σ unchanged), e.g. 0.5 for half.</summary>
    public AugmentationSettings Scaled(float factor) => this with
    {
        RotationDegrees = RotationDegrees * factor,
        Scale = Scale * factor,
        Shear = Shear * factor,
        TranslationPixels = TranslationPixels * factor,
        ElasticAlpha = ElasticAlpha * factor,
        StrokePixels = StrokePixels * factor,
    };
}

/// <summary>
/// Random affine distortion (rotation, scale, shear, translation about the image centre, resampled bilinearly
/// with black outside) and optional elastic distortion (<see cref="ElasticDistortion"/>) of grayscale training
/// images. Each image's distortion is a pure function of (seed, epoch, sample index) through
/// <see cref="SampleKey"/>, so an augmented epoch is the same whichever thread prepares it and whenever.
/// Outputs stay within the inputs' range (every output pixel is a convex combination of input pixels and 0).
/// An instance holds scratch buffers: use one per thread.
/// </summary>
public sealed class Augmenter
{
    private readonly AugmentationSettings settings;
    private readonly int width, height;
    private readonly float[] unit;
    private readonly float[] dx, dy;
    private readonly ElasticDistortion? elastic;

    /// <summary>Scratch for the stroke change; null without one.</summary>
    private readonly float[]? stroke;

    public Augmenter(AugmentationSettings settings, int width = 28, int height = 28)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        RequireNonNegative(settings.RotationDegrees, nameof(settings.RotationDegrees));
        RequireNonNegative(settings.TranslationPixels, nameof(settings.TranslationPixels));
        RequireNonNegative(settings.Shear, nameof(settings.Shear));
        RequireNonNegative(settings.StrokePixels, nameof(settings.StrokePixels));
        if (!(settings.HollowShare is >= 0f and <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(settings.HollowShare), settings.HollowShare, "must be in [0, 1]");
        }
        if (!(settings.Scale is >= 0f and < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(settings.Scale), settings.Scale, "must be in [0, 1)");
        }
        this.settings = settings;
        this.width = width;
        this.height = height;
        unit = new float[width * height];
        dx = new float[width * height];
        dy = new float[width * height];
        if (settings.ElasticAlpha > 0f)
        {
            elastic = new ElasticDistortion(width, height, settings.ElasticAlpha, settings.ElasticSigma);
        }
        if (settings.StrokePixels > 0f || settings.HollowShare > 0f)
        {
            stroke = new float[width * height];
        }
    }

    public AugmentationSettings Settings => settings;

    /// <summary>The key that selects one image's distortion: a hash of (seed, epoch, index in the dataset).</summary>
    public static ulong SampleKey(ulong seed, int epoch, int index) =>
        SplitMixStream.Mix(SplitMixStream.Mix(seed ^ ((ulong)(uint)epoch << 32)) + (ulong)(uint)index);

    /// <summary>Distorts a byte image (0..255) into floats in [0, 1].</summary>
    public void Apply(ReadOnlySpan<byte> image, Span<float> output, ulong key)
    {
        ModelInput.ToUnitFloats(image[..unit.Length], unit);
        Apply(unit, output, key);
    }

    /// <summary>Distorts a float image into <paramref name="output"/> (same size, must not overlap the input).</summary>
    public void Apply(ReadOnlySpan<float> image, Span<float> output, ulong key)
    {
        int size = width * height;
        if (image.Length < size || output.Length < size)
        {
            throw new ArgumentException($"a {width}×{height} image needs {size} values, got input {image.Length} and output {output.Length}");
        }
        var random = new SplitMixStream(key);
        float angle = Uniform(ref random, settings.RotationDegrees) * MathF.PI / 180f;
        float scale = 1f + Uniform(ref random, settings.Scale);
        float shear = Uniform(ref random, settings.Shear);
        float tx = Uniform(ref random, settings.TranslationPixels);
        float ty = Uniform(ref random, settings.TranslationPixels);

        // Forward map about the centre c: out = R·S·H·(src − c) + c + t, with H = [[1, shear], [0, 1]].
        // Sampling needs the inverse: src = (R·S·H)⁻¹·(out − c − t) + c.
        float cos = MathF.Cos(angle), sin = MathF.Sin(angle);
        float a = scale * cos, b = scale * (cos * shear - sin), c = scale * sin, d = scale * (sin * shear + cos);
        float determinant = a * d - b * c;
        float ia = d / determinant, ib = -b / determinant, ic = -c / determinant, id = a / determinant;
        float cx = (width - 1) / 2f, cy = (height - 1) / 2f;

        bool distort = elastic is not null;
        if (distort)
        {
            elastic!.Generate(ref random, dx, dy);
        }
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float ox = x - cx - tx, oy = y - cy - ty;
                if (distort)
                {
                    ox += dx[y * width + x];
                    oy += dy[y * width + x];
                }
                output[y * width + x] = Bilinear(image, ia * ox + ib * oy + cx, ic * ox + id * oy + cy);
            }
        }

        // Drawn last, so that settings without it draw exactly the distortions they drew before it existed.
        if (settings.StrokePixels > 0f)
        {
            float change = settings.StrokePixels * (1.25f * random.NextFloat() - 0.25f);
            ChangeStrokes(output[..size], change);
        }
        // Drawn after the stroke change, for the same reason.
        if (settings.HollowShare > 0f && random.NextFloat() < settings.HollowShare)
        {
            Hollow(output[..size]);
        }
    }

    /// <summary>
    /// Replaces the strokes by their outline: widens them by one pass of the 3×3 maximum, then keeps that less its own
    /// 3×3 minimum, so each stroke becomes a one-pixel contour on both sides around a hole as wide as it was.
    /// </summary>
    private void Hollow(Span<float> image)
    {
        Filter3x3(image, stroke, maximum: true);
        Filter3x3(stroke, image, maximum: false);
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = stroke![i] - image[i];
        }
    }

    /// <summary>
    /// Widens the strokes by <paramref name="pixels"/> (narrows them when negative): each whole pass of a 3×3 maximum
    /// (minimum) filter moves every edge out (in) by one pixel, and the remaining fraction of a pass is blended in.
    /// </summary>
    private void ChangeStrokes(Span<float> image, float pixels)
    {
        float perSide = MathF.Abs(pixels) / 2f;
        bool widen = pixels > 0f;
        while (perSide > 0f)
        {
            float amount = MathF.Min(perSide, 1f);
            Filter3x3(image, stroke, widen);
            for (int i = 0; i < image.Length; i++)
            {
                image[i] += amount * (stroke![i] - image[i]);
            }
            perSide -= amount;
        }
    }

    /// <summary>The 3×3 maximum (or minimum) of <paramref name="image"/> at every pixel, with 0 outside.</summary>
    private void Filter3x3(ReadOnlySpan<float> image, Span<float> result, bool maximum)
    {
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float best = image[y * width + x];
                for (int v = y - 1; v <= y + 1; v++)
                {
                    for (int u = x - 1; u <= x + 1; u++)
                    {
                        float p = Pixel(image, u, v);
                        best = maximum ? MathF.Max(best, p) : MathF.Min(best, p);
                    }
                }
                result[y * width + x] = best;
            }
        }
    }

    /// <summary>The image sampled at (u, v) by bilinear interpolation, with 0 outside.</summary>
    private float Bilinear(ReadOnlySpan<float> image, float u, float v)
    {
        float fu = MathF.Floor(u), fv = MathF.Floor(v);
        int x0 = (int)fu, y0 = (int)fv;
        if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height)
        {
            return 0f;
        }
        float wx = u - fu, wy = v - fv;
        float top = (1f - wx) * Pixel(image, x0, y0) + wx * Pixel(image, x0 + 1, y0);
        float bottom = (1f - wx) * Pixel(image, x0, y0 + 1) + wx * Pixel(image, x0 + 1, y0 + 1);
        return (1f - wy) * top + wy * bottom;
    }

    private float Pixel(ReadOnlySpan<float> image, int x, int y) =>
        (uint)x < (uint)width && (uint)y < (uint)height ? image[y * width + x] : 0f;

    private static float Uniform(ref SplitMixStream random, float max) =>
        max == 0f ? 0f : (2f * random.NextFloat() - 1f) * max;

    private static void RequireNonNegative(float value, string name)
    {
        if (!(value >= 0f))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be non-negative");
        }
    }
}

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood, OOPSLA 2014) as a value type: a per-image random stream that costs no
/// allocation, unlike <see cref="Rng"/>, and whose whole state is its key.
/// </summary>
internal struct SplitMixStream(ulong key)
{
    private ulong state = key;

    /// <summary>SplitMix64's finalizer: a bijective mix of 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64() => Mix(state += 0x9E3779B97F4A7C15UL);

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));
}
