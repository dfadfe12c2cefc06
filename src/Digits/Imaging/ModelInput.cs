using System.Numerics.Tensors;

namespace Digits.Imaging;

/// <summary>
/// The one way 28×28 byte images become a model's input: deskewed when the model was trained so
/// (<see cref="Persistence.Preprocessing.Deskew"/>), then scaled from 0..255 to 0..1. Training, evaluation and prediction
/// of every kind go through it, a block of images at a time into buffers the caller reuses.
/// </summary>
public static class ModelInput
{
    /// <summary>
    /// Writes <paramref name="count"/> images laid end to end in <paramref name="images"/> into
    /// <paramref name="destination"/> as floats in 0..1 (count × 784).
    /// </summary>
    /// <param name="deskewed">Room for the deskewed bytes (count × 784) when <paramref name="deskew"/> is set; unused otherwise.</param>
    public static void Prepare(ReadOnlySpan<byte> images, int count, bool deskew, Span<byte> deskewed, Span<float> destination)
    {
        int bytes = count * DigitImage.Pixels;
        ReadOnlySpan<byte> source = images[..bytes];
        if (deskew)
        {
            Deskew.ApplyAll(source, deskewed[..bytes], count);
            source = deskewed[..bytes];
        }
        ToUnitFloats(source, destination[..bytes]);
    }

    /// <summary>Converts bytes 0..255 to floats 0..1, element by element.</summary>
    public static void ToUnitFloats(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        TensorPrimitives.ConvertChecked<byte, float>(pixels, destination);
        TensorPrimitives.Multiply(destination[..pixels.Length], 1f / 255f, destination);
    }
}
