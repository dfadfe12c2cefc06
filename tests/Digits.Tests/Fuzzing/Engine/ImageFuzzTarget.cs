using System.Buffers.Binary;
using Digits.Imaging;
using Digits.Tests.Imaging;
using SkiaSharp;

namespace Digits.Fuzzing;

/// <summary>
/// PNG, JPEG, BMP, GIF and WebP files through <see cref="ImageDecoder.Decode(ReadOnlySpan{byte}, string)"/> and
/// <see cref="MnistNormalizer.Normalize"/>: a small dark stroke on light paper, made here. A decoded image must
/// have the size it claims, and a normalized one 28 × 28 bytes.
/// </summary>
public sealed class ImageFuzzTarget : FuzzTarget
{
    private const long SlackBytes = 64_000_000;

    public ImageFuzzTarget()
    {
        const int width = 24, height = 20;
        static byte Stroke(int x, int y) => Math.Abs(x - 12 - (y - 10) / 3) <= 1 && y is > 3 and < 17 ? (byte)20 : (byte)235;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte g = Stroke(x, y);
                bitmap.SetPixel(x, y, new SKColor(g, g, g));
            }
        }
        byte Index(int x, int y) => Stroke(x, y) < 128 ? (byte)0 : (byte)3;
        byte[] frame = [.. Enumerable.Range(0, width * height).Select(i => Index(i % width, i / width))];
        Seeds =
        [
            Encode(bitmap, SKEncodedImageFormat.Png),
            Encode(bitmap, SKEncodedImageFormat.Jpeg),
            bitmap.PeekPixels().Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))!.ToArray(),
            HandMadeFiles.Bmp(width, height, Stroke),
            HandMadeFiles.Gif(width, height, [[0, 0, 0], [80, 80, 80], [160, 160, 160], [255, 255, 255]], frame),
        ];
    }

    public override string Format => "image";

    public override IReadOnlyList<string> Stages { get; } = ["decoded", "normalized"];

    public override IReadOnlyList<byte[]> Seeds { get; }

    /// <summary>Rewrites the width or height where the format keeps it (PNG IHDR, BMP info header, GIF screen, JPEG SOF).</summary>
    public override byte[] EditStructure(byte[] file, Random random)
    {
        byte[] copy = (byte[])file.Clone();
        int value = random.Next(4) switch
        {
            0 => 0,
            1 => random.Next(),
            2 => random.Next(1, 70_000),
            _ => random.Next(1, 64),
        };
        bool second = random.Next(2) == 0;
        if (copy.AsSpan().StartsWith("\x89PNG"u8) && copy.Length >= 24)
            BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(second ? 20 : 16), value);
        else if (copy.AsSpan().StartsWith("BM"u8) && copy.Length >= 26)
            BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(second ? 22 : 18), random.Next(2) == 0 ? value : -value);
        else if (copy.AsSpan().StartsWith("GIF"u8) && copy.Length >= 10)
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(second ? 8 : 6), (ushort)value);
        else if (copy.Length > 4 && copy[0] == 0xFF && copy[1] == 0xD8 && FindJpegFrame(copy) is int frame and > 0 && frame + 9 <= copy.Length)
            BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(frame + (second ? 5 : 7)), (ushort)value);
        else if (copy.Length > 0)
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    public override void Run(byte[] file, Action<string> reached)
    {
        GrayImage image = ImageDecoder.Decode(file, "fuzz.img");
        if (image.Width <= 0 || image.Height <= 0 || (long)image.Width * image.Height > ImageDecoder.MaxPixels)
            throw new FuzzCheckException($"decoded a {image.Width}×{image.Height} image");
        reached("decoded");
        byte[] normalized = MnistNormalizer.Normalize(image, name: "fuzz.img");
        if (normalized.Length != MnistNormalizer.Size * MnistNormalizer.Size)
            throw new FuzzCheckException($"normalized to {normalized.Length} bytes, not 784");
        reached("normalized");
    }

    /// <summary>
    /// The decoder's own bound: its RGBA buffer and gray image for the largest image it accepts, plus the
    /// normalizer's working buffers, plus 64 MB.
    /// </summary>
    public override long MemoryLimit(byte[] file) => 4L * file.Length + 8L * ImageDecoder.MaxPixels + SlackBytes;

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>The offset of the first start-of-frame marker (FFC0 to FFC2), or −1.</summary>
    private static int FindJpegFrame(byte[] jpeg)
    {
        for (int i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
                return i;
        }
        return -1;
    }
}
