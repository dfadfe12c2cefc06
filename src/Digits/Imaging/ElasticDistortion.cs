namespace Digits.Imaging;

/// <summary>
/// Elastic displacement fields (Simard, Steinkraus &amp; Platt, "Best Practices for Convolutional Neural Networks
/// Applied to Visual Document Analysis", ICDAR 2003): each pixel gets a random displacement drawn uniformly from
/// [−1, 1] in x and in y, both fields are smoothed by a Gaussian of standard deviation σ pixels, and scaled by α
/// pixels. A small σ gives noise-like jitter, a large one an almost rigid move; the paper uses σ = 4 and α = 34 on
/// MNIST. Holds scratch for one image size, so use one instance per thread.
/// </summary>
public sealed class ElasticDistortion
{
    private readonly int width, height;
    private readonly float alpha;
    private readonly float[] kernel;
    private readonly float[] scratch;

    /// <param name="alpha">Scale of the smoothed field, in pixels.</param>
    /// <param name="sigma">Standard deviation of the smoothing Gaussian, in pixels; must be positive.</param>
    public ElasticDistortion(int width, int height, float alpha, float sigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (!(sigma > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be positive");
        }
        if (!(alpha >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "must be non-negative");
        }
        this.width = width;
        this.height = height;
        this.alpha = alpha;
        int radius = Math.Max(1, (int)MathF.Ceiling(3f * sigma));
        kernel = new float[2 * radius + 1];
        float total = 0f;
        for (int i = -radius; i <= radius; i++)
        {
            total += kernel[i + radius] = MathF.Exp(-i * i / (2f * sigma * sigma));
        }
        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= total;
        }
        scratch = new float[width * height];
    }

    /// <summary>
    /// Fills <paramref name="dx"/> and <paramref name="dy"/> (width × height each, in pixels) with a field drawn
    /// from <paramref name="random"/>: the same stream gives the same field.
    /// </summary>
    internal void Generate(ref SplitMixStream random, Span<float> dx, Span<float> dy)
    {
        int size = width * height;
        for (int i = 0; i < size; i++)
        {
            dx[i] = 2f * random.NextFloat() - 1f;
            dy[i] = 2f * random.NextFloat() - 1f;
        }
        Smooth(dx[..size]);
        Smooth(dy[..size]);
    }

    /// <summary>Separable Gaussian blur with zeros outside the image, then scaling by α, in place.</summary>
    private void Smooth(Span<float> field)
    {
        int radius = kernel.Length / 2;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float sum = 0f;
                for (int k = Math.Max(-radius, -x); k <= Math.Min(radius, width - 1 - x); k++)
                {
                    sum += kernel[k + radius] * field[y * width + x + k];
                }
                scratch[y * width + x] = sum;
            }
        }
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float sum = 0f;
                for (int k = Math.Max(-radius, -y); k <= Math.Min(radius, height - 1 - y); k++)
                {
                    sum += kernel[k + radius] * scratch[(y + k) * width + x];
                }
                field[y * width + x] = alpha * sum;
            }
        }
    }
}
