using SkiaSharp;

namespace Digits.Imaging;

/// <summary>
/// Writes grayscale PNGs: debug views of normalized digits, galleries and charts.
/// Enlargement is nearest-neighbour so that each source pixel stays a crisp square.
/// </summary>
public static class ImageEncoder
{
    /// <summary>Encodes <paramref name="img"/> as an 8-bit gray PNG, each pixel drawn as a
    /// <paramref name="scale"/> × <paramref name="scale"/> block.</summary>
    public static byte[] EncodePng(GrayImage img, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(img);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int w = checked(img.Width * scale), h = checked(img.Height * scale);
        var pixels = scale == 1 ? img.Pixels : Enlarge(img, scale);
        var info = new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque);
        unsafe
        {
            fixed (byte* p = pixels)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)p, w);
                using var data = pixmap.Encode(SKPngEncoderOptions.Default)
                    ?? throw new InvalidOperationException($"Skia could not encode a {w}×{h} gray PNG");
                return data.ToArray();
            }
        }
    }

    /// <summary>
    /// Saves a PNG through <see cref="AtomicFile"/>, so that <paramref name="path"/> holds either its old content or
    /// the whole new image.
    /// </summary>
    public static void SavePng(string path, GrayImage img, int scale = 1) => AtomicFile.WriteAllBytes(path, EncodePng(img, scale));

    static byte[] Enlarge(GrayImage img, int scale)
    {
        int w = img.Width * scale;
        var big = new byte[w * img.Height * scale];
        for (int y = 0; y < img.Height; y++)
        {
            var row = big.AsSpan(y * scale * w, w);
            for (int x = 0; x < img.Width; x++)
                row.Slice(x * scale, scale).Fill(img.Pixels[y * img.Width + x]);
            for (int r = 1; r < scale; r++)
                row.CopyTo(big.AsSpan((y * scale + r) * w, w));
        }
        return big;
    }
}
