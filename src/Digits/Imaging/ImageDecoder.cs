using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    /// <summary>
    /// Reads only the header of an encoded image: its size as stored (before any EXIF rotation), without decoding a
    /// pixel or allocating. False when no codec recognizes the bytes. A server uses it to refuse a picture over
    /// <see cref="MaxPixels"/> with its own status before reading it.
    /// </summary>
    public static unsafe bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        (width, height) = (0, 0);
        if (data.IsEmpty)
            return false;
        fixed (byte* encoded = data)
        {
            using var codec = NativeCodec.Open(encoded, data.Length);
            if (!codec.IsValid)
                return false;
            (width, height) = codec.Size;
            return true;
        }
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static GrayImage Decode(ReadOnlySpan<byte> data, string name)
    {
        var scratch = PipelineScratch.ForThisThread;
        var (width, height) = DecodeInto(data, name, 0, scratch);
        return new GrayImage(width, height, scratch.Gray.AsSpan(0, width * height).ToArray());
    }

    /// <summary>
    /// Decodes into this thread's <see cref="PipelineScratch.Gray"/> (upright, <c>Width × Height</c> bytes), allocating
    /// nothing once the buffers have grown. A JPEG is decoded at the smallest of its codec's scales (1/8, 1/4, 1/2) that
    /// keeps its longer side at least <paramref name="minLongSide"/> (the DCT is scaled, so a 12 MP photo costs a
    /// fraction of its full decode); 0 decodes at full size. Other formats are always decoded at full size.
    /// </summary>
    internal static unsafe (int Width, int Height) DecodeInto(ReadOnlySpan<byte> data, string name, int minLongSide, PipelineScratch scratch)
    {
        if (data.IsEmpty)
            throw new InvalidImageException(name, "empty file");
        fixed (byte* encoded = data)
        {
            using var codec = NativeCodec.Open(encoded, data.Length);
            if (!codec.IsValid)
                throw new InvalidImageException(name, "not a decodable image (PNG, JPEG, BMP, GIF or WebP expected)");
            var (width, height) = codec.Size;
            if ((long)width * height > MaxPixels)
                throw new ImageTooLargeException(name, width, height);
            if (minLongSide > 0 && codec.Format == SKEncodedImageFormat.Jpeg)
                (width, height) = ScaledSize(codec, width, height, minLongSide);

            var rgba = PipelineScratch.Ensure(ref scratch.Rgba, checked(width * height * 4));
            var result = codec.DecodeRgba(width, height, rgba);
            if (result != SKCodecResult.Success)
            {
                throw new InvalidImageException(name, result == SKCodecResult.IncompleteInput
                    ? "truncated image data"
                    : $"corrupt image data ({result})");
            }
            var gray = PipelineScratch.Ensure(ref scratch.Gray, width * height);
            return ToUprightGray(rgba, width, height, codec.Origin, gray);
        }
    }

    /// <summary>The smallest size the codec decodes to directly whose longer side is at least <paramref name="minLongSide"/>.</summary>
    static (int Width, int Height) ScaledSize(NativeCodec.Codec codec, int width, int height, int minLongSide)
    {
        foreach (float scale in (ReadOnlySpan<float>)[0.125f, 0.25f, 0.5f])
        {
            var size = codec.ScaledSize(scale);
            if (size.Width > 0 && size.Height > 0 && Math.Max(size.Width, size.Height) >= minLongSide
                && size.Width < width && size.Height < height)
            {
                return size;
            }
        }
        return (width, height);
    }

    /// <summary>
    /// Converts RGBA to luminance (Rec. 601 weights, as JPEG's own Y channel), composites over white,
    /// and applies the EXIF orientation in the same pass. Each orientation is a walk through the source
    /// with a start index and two strides, one per output axis; upright pictures, nearly all, take a vector path.
    /// </summary>
    static (int Width, int Height) ToUprightGray(byte[] rgba, int w, int h, SKEncodedOrigin origin, byte[] gray)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            ToGray(rgba.AsSpan(0, w * h * 4), gray.AsSpan(0, w * h));
            return (w, h);
        }
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
        for (int y = 0; y < outH; y++)
        {
            int src = start + y * stepY;
            int row = y * outW;
            for (int x = 0; x < outW; x++, src += stepX)
                gray[row + x] = Gray(rgba[src * 4], rgba[src * 4 + 1], rgba[src * 4 + 2], rgba[src * 4 + 3]);
        }
        return (outW, outH);
    }

    /// <summary>Luminance scaled by 1000, then "over white": (lum·a + 255·(255 − a)) / 255, rounded.</summary>
    static byte Gray(int r, int g, int b, int alpha)
    {
        int lum1000 = 299 * r + 587 * g + 114 * b;
        return (byte)((lum1000 * alpha + 255_000 * (255 - alpha) + 127_500) / 255_000);
    }

    /// <summary>
    /// <see cref="Gray"/> for every pixel, 32 at a time: the integer numerator is exact in 32 bits, the quotient is
    /// estimated in single precision and corrected by its remainder, so the result is the same byte as the scalar one.
    /// </summary>
    static void ToGray(ReadOnlySpan<byte> rgba, Span<byte> gray)
    {
        int i = 0, n = gray.Length;
        ref byte src = ref MemoryMarshal.GetReference(rgba);
        ref byte dst = ref MemoryMarshal.GetReference(gray);
        for (; i + 32 <= n; i += 32)
        {
            var a = GrayOf8(Vector256.LoadUnsafe(ref src, (nuint)i * 4).AsUInt32());
            var b = GrayOf8(Vector256.LoadUnsafe(ref src, (nuint)(i + 8) * 4).AsUInt32());
            var c = GrayOf8(Vector256.LoadUnsafe(ref src, (nuint)(i + 16) * 4).AsUInt32());
            var d = GrayOf8(Vector256.LoadUnsafe(ref src, (nuint)(i + 24) * 4).AsUInt32());
            Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)).AsByte().StoreUnsafe(ref dst, (nuint)i);
        }
        for (; i < n; i++)
            gray[i] = Gray(rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2], rgba[i * 4 + 3]);
    }

    static Vector256<int> GrayOf8(Vector256<uint> pixels)
    {
        var mask = Vector256.Create(0xFFu);
        var r = (pixels & mask).AsInt32();
        var g = ((pixels >> 8) & mask).AsInt32();
        var b = ((pixels >> 16) & mask).AsInt32();
        var alpha = (pixels >> 24).AsInt32();
        var lum1000 = r * 299 + g * 587 + b * 114;
        var numerator = lum1000 * alpha + (Vector256.Create(255) - alpha) * 255_000 + Vector256.Create(127_500);
        var quotient = Vector256.ConvertToInt32(Vector256.Floor(Vector256.ConvertToSingle(numerator) * (1f / 255_000f)));
        var remainder = numerator - quotient * 255_000;
        // Comparisons give −1 where true: subtracting adds one, adding takes one away.
        quotient -= Vector256.GreaterThanOrEqual(remainder, Vector256.Create(255_000));
        quotient += Vector256.LessThan(remainder, Vector256<int>.Zero);
        return quotient;
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
