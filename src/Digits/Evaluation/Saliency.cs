namespace Digits.Evaluation;

/// <summary>
/// Where a model looks: occlusion sensitivity (Zeiler and Fergus, "Visualizing and Understanding Convolutional
/// Networks", ECCV 2014). A square patch of background (0, no ink) is slid over the 28×28 image, centred on each pixel
/// in turn, and the probability the model gives the label is measured with that patch hidden. A pixel's saliency is
/// the mean fall of the log-probability, ln p(label), over every patch that covers it: positive where the ink
/// supports the answer, negative where hiding the ink makes the answer more likely. The log, rather than p itself as
/// Zeiler and Fergus plot it, because our models are near-certain on most digits: p moves from 0.9999 to 0.999 where
/// a patch removes some evidence, which on a linear scale vanishes beside the one patch that flips the answer, while
/// its log moves ten times as far. It needs only <see cref="IClassifier.Predict"/>, so it works for every kind of
/// model, and costs one batch of 785 images.
/// </summary>
public static class Saliency
{
    /// <summary>
    /// Side of the hidden patch in pixels: about a stroke's width plus its antialiased edges in a 20 px MNIST digit, so
    /// that one patch can remove a piece of stroke but not a whole loop.
    /// </summary>
    public const int DefaultPatch = 5;

    /// <summary>The smallest normal float, 2^-126: a floor that keeps ln p finite for a probability rounded to 0.</summary>
    private const float SmallestNormal = 1.17549435e-38f;

    /// <summary>Computes the occlusion map of <paramref name="image"/> for <paramref name="label"/>.</summary>
    /// <param name="image">28×28 bytes, white ink on black, as the model sees it (see <c>Prediction.Normalized</c>).</param>
    /// <param name="label">The class position whose probability is watched, usually the predicted one.</param>
    /// <param name="patch">Side of the hidden square, 1 to 28; clipped at the image's edges.</param>
    /// <returns>784 values, row-major: the mean fall of ln p(label), in nats, when the pixel is hidden.</returns>
    public static float[] Occlusion(IClassifier model, ReadOnlySpan<byte> image, int label, int patch = DefaultPatch)
    {
        ArgumentNullException.ThrowIfNull(model);
        const int side = DigitImage.Side, pixels = DigitImage.Pixels;
        if (image.Length != pixels)
            throw new ArgumentException($"must be {pixels} bytes (28×28), got {image.Length}", nameof(image));
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, model.Labels.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(patch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(patch, side);

        // Image 0 is the original; image 1 + y·28 + x has the patch centred on (x, y) hidden.
        int count = 1 + pixels;
        var images = new byte[count * pixels];
        for (int n = 0; n < count; n++)
            image.CopyTo(images.AsSpan(n * pixels, pixels));
        for (int centre = 0; centre < pixels; centre++)
        {
            var (top, bottom, left, right) = Span(centre, patch);
            var hidden = images.AsSpan((1 + centre) * pixels, pixels);
            for (int y = top; y < bottom; y++)
                hidden.Slice(y * side + left, right - left).Clear();
        }
        int classes = model.Labels.Count;
        var probabilities = new float[count * classes];
        model.Predict(images, count, probabilities);

        double original = LogProbability(probabilities[label]);
        var sum = new double[pixels];
        var covered = new int[pixels];
        for (int centre = 0; centre < pixels; centre++)
        {
            double fall = original - LogProbability(probabilities[(1 + centre) * classes + label]);
            var (top, bottom, left, right) = Span(centre, patch);
            for (int y = top; y < bottom; y++)
            {
                for (int x = left; x < right; x++)
                {
                    sum[y * side + x] += fall;
                    covered[y * side + x]++;
                }
            }
        }
        var saliency = new float[pixels];
        for (int i = 0; i < pixels; i++)
            saliency[i] = (float)(sum[i] / covered[i]);
        return saliency;
    }

    /// <summary>ln p, with p kept at least <see cref="SmallestNormal"/>.</summary>
    private static double LogProbability(float p) => Math.Log(Math.Max(p, SmallestNormal));

    /// <summary>The rows [top, bottom) and columns [left, right) of the patch centred on pixel <paramref name="centre"/>, clipped to the image.</summary>
    private static (int Top, int Bottom, int Left, int Right) Span(int centre, int patch)
    {
        const int side = DigitImage.Side;
        int cy = centre / side, cx = centre % side, before = (patch - 1) / 2;
        int top = Math.Max(0, cy - before), left = Math.Max(0, cx - before);
        int bottom = Math.Min(side, cy - before + patch), right = Math.Min(side, cx - before + patch);
        return (top, bottom, left, right);
    }
}
