namespace Digits.Imaging;

/// <summary>
/// An 8-bit grayscale picture as decoded from a file: <see cref="Pixels"/> is row-major,
/// <c>Width × Height</c> bytes, 0 = black and 255 = white. This is the photo's own polarity;
/// MNIST-style white-on-black images come out of <see cref="MnistNormalizer"/>, not out of here.
/// </summary>
public sealed class GrayImage
{
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="pixels">Exactly <c>width × height</c> bytes, row-major; kept, not copied.</param>
    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if ((long)width * height != pixels.Length)
            throw new ArgumentException($"must hold width × height = {(long)width * height} bytes, has {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major gray levels, 0 = black .. 255 = white.</summary>
    public byte[] Pixels { get; }

    /// <summary>The gray level at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int x, int y] => Pixels[y * Width + x];
}
