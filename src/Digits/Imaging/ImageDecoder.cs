using SkiaSharp;

namespace Digits.Imaging;

/// <summary>
/// Reads PNG, JPEG, BMP, GIF (first frame) and WebP into an upright <see cref="GrayImage"/>.
/// Phone photos carry their rotation in EXIF, so the EXIF orientation is applied here and callers
/// never see a sideways digit. Transparent pixels are composited over white, because a canvas
/// drawing is black ink on a transparent page and must read as dark ink on white paper.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Largest accepted image, in pixels (width × height), checked before any pixel is decoded
    /// so that a small file claiming huge dimensions cannot exhaust memory.</summary>
    public const int MaxPixels = 40_000_000;

    /// <summary>Decodes the file at <paramref name="path"/>; errors name the path.</summary>
    public static GrayImage Decode(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var problem = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
            throw new InvalidImageException(path, problem, e);
        }
        return Decode(data, path);
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static GrayImage Decode(ReadOnlySpan<byte> data, string name)
    {
        if (data.IsEmpty)
            throw new InvalidImageException(name, "empty file");
        using var skData = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(skData)
            ?? throw new InvalidImageException(name, "not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > MaxPixels)
            throw new ImageTooLargeException(name, width, height);

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = GC.AllocateUninitializedArray<byte>(checked(width * height * 4));
        SKCodecResult result;
        unsafe
        {
            fixed (byte* p = rgba)
                result = codec.GetPixels(info, (IntPtr)p);
        }
        if (result != SKCodecResult.Success)
        {
            throw new InvalidImageException(name, result == SKCodecResult.IncompleteInput
                ? "truncated image data"
                : $"corrupt image data ({result})");
        }
        return ToUprightGray(rgba, width, height, codec.EncodedOrigin);
    }

    /// <summary>
    /// Converts RGBA to luminance (Rec. 601 weights, as JPEG's own Y channel), composites over white,
    /// and applies the EXIF orientation in the same pass. Each orientation is a walk through the source
    /// with a start index and two strides, one per output axis.
    /// </summary>
    static GrayImage ToUprightGray(byte[] rgba, int w, int h, SKEncodedOrigin origin)
    {
        bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (start, stepX, stepY) = origin switch
        {
            SKEncodedOrigin.TopRight => (w - 1, -1, w),
            SKEncodedOrigin.BottomRight => ((h - 1) * w + w - 1, -1, -w),
            SKEncodedOrigin.BottomLeft => ((h - 1) * w, 1, -w),
            SKEncodedOrigin.LeftTop => (0, w, 1),
            SKEncodedOrigin.RightTop => ((h - 1) * w, -w, 1),
            SKEncodedOrigin.RightBottom => ((h - 1) * w + w - 1, -w, -1),
            SKEncodedOrigin.LeftBottom => (w - 1, w, -1),
            _ => (0, 1, w),
        };
        int outW = swap ? h : w, outH = swap ? w : h;
        var gray = new byte[outW * outH];
        for (int y = 0; y < outH; y++)
        {
            int src = start + y * stepY;
            int row = y * outW;
            for (int x = 0; x < outW; x++, src += stepX)
            {
                int i = src * 4;
                int alpha = rgba[i + 3];
                // Luminance scaled by 1000, then "over white": lum·a + 255·(255 − a), all over 255.
                int lum1000 = 299 * rgba[i] + 587 * rgba[i + 1] + 114 * rgba[i + 2];
                gray[row + x] = (byte)((lum1000 * alpha + 255_000 * (255 - alpha) + 127_500) / 255_000);
            }
        }
        return new GrayImage(outW, outH, gray);
    }
}

/// <summary>A file that is missing, empty, or not a decodable PNG, JPEG, BMP, GIF or WebP image.</summary>
public sealed class InvalidImageException(string file, string problem, Exception? inner = null)
    : DigitsException(file, problem, inner);

/// <summary>An image over <see cref="ImageDecoder.MaxPixels"/>; refused before its pixels are decoded.</summary>
public sealed class ImageTooLargeException(string file, int width, int height)
    : DigitsException(file, $"image is {width}×{height} = {(long)width * height:N0} pixels, more than the {ImageDecoder.MaxPixels:N0} allowed")
{
    /// <summary>Width in pixels as the file declares it.</summary>
    public int Width { get; } = width;

    /// <summary>Height in pixels as the file declares it.</summary>
    public int Height { get; } = height;
}
