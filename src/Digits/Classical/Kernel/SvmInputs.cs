using Digits.Data;
using Digits.Imaging;

namespace Digits.Classical;

/// <summary>
/// What the kernel SVM does to images before the kernel sees them, in training and prediction alike: optional
/// deskewing (still bytes, so support vectors can be stored as bytes), then pixels/255 as floats.
/// </summary>
internal static class SvmInputs
{
    public const int PixelsPerImage = DigitImage.Pixels;

    /// <summary>The images after preprocessing, as bytes: deskewed copies, or the input itself when not deskewing.</summary>
    public static ReadOnlySpan<byte> Prepare(ReadOnlySpan<byte> images, int count, bool deskew)
    {
        if (images.Length < count * PixelsPerImage)
            throw new ArgumentException($"{count} images need {count * PixelsPerImage} bytes, found {images.Length}", nameof(images));
        images = images[..(count * PixelsPerImage)];
        if (!deskew)
            return images;
        var deskewed = new byte[images.Length];
        Deskew.ApplyAll(images, deskewed, count);
        return deskewed;
    }

    /// <summary>Pixels/255 as floats, row-major (count × 784).</summary>
    public static float[] ToFeatures(ReadOnlySpan<byte> prepared)
    {
        var features = new float[prepared.Length];
        Imaging.ModelInput.ToUnitFloats(prepared, features);
        return features;
    }
}
