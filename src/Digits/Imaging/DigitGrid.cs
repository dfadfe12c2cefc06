namespace Digits.Imaging;

/// <summary>
/// Renders a gallery of 28 × 28 digits as a PNG: each digit as stored (white ink on a black tile),
/// enlarged, with a caption such as <c>#123: 7</c> underneath on the white page.
/// Captions use a built-in 5 × 7 bitmap font because the self-contained Linux build of Skia has no
/// fontconfig, and with no font found text would silently come out blank.
/// </summary>
public static class DigitGrid
{
    const int Side = MnistNormalizer.Size;
    const byte Page = 255, Text = 32;

    /// <summary>Renders <c>images.Length / 784</c> digits, row by row, <paramref name="columns"/> per row.</summary>
    /// <param name="images">Consecutive 28 × 28 white-on-black images, row-major.</param>
    /// <param name="captions">One caption per image; empty for none. Characters the font lacks print as <c>?</c>.</param>
    /// <param name="columns">Tiles per row, at least 1.</param>
    /// <param name="scale">Enlargement of each digit pixel, at least 1; captions grow with it.</param>
    public static byte[] RenderPng(ReadOnlySpan<byte> images, IReadOnlyList<string> captions, int columns, int scale = 3)
    {
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        if (images.Length % (Side * Side) != 0)
            throw new ArgumentException($"must hold whole 28 × 28 images, has {images.Length} bytes", nameof(images));
        int count = images.Length / (Side * Side);
        if (captions.Count != count)
            throw new ArgumentException($"must hold one caption per image ({count}), has {captions.Count}", nameof(captions));

        int longest = captions.Count == 0 ? 0 : captions.Max(c => c.Length);
        var (pageWidth, pageHeight) = Measure(count, columns, scale, longest);
        if (pageWidth * pageHeight > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(columns), $"the picture would be {pageWidth}x{pageHeight} pixels, more than one array holds");
        int width = (int)pageWidth, height = (int)pageHeight;
        int font = Math.Max(1, scale - 1), gap = 2 * scale, tile = Side * scale;
        int cellW = Math.Max(tile, BitmapFont.Width(longest, font)) + gap;
        int cellH = tile + BitmapFont.Height(font) + 2 * gap;
        var page = new byte[width * height];
        Array.Fill(page, Page);

        for (int n = 0; n < count; n++)
        {
            int left = gap + n % columns * cellW, top = gap + n / columns * cellH;
            int tileLeft = left + (cellW - gap - tile) / 2;
            var digit = images.Slice(n * Side * Side, Side * Side);
            for (int y = 0; y < tile; y++)
                for (int x = 0; x < tile; x++)
                    page[(top + y) * width + tileLeft + x] = digit[y / scale * Side + x / scale];
            var caption = captions[n];
            int textLeft = left + (cellW - gap - BitmapFont.Width(caption.Length, font)) / 2;
            BitmapFont.Draw(page, width, textLeft, top + tile + gap, caption, font, Text);
        }
        return ImageEncoder.EncodePng(new GrayImage(width, height, page));
    }

    /// <summary>
    /// The size in pixels of the picture <see cref="RenderPng"/> makes, without making it, so that a caller can refuse
    /// an oversized one before loading any data. Columns beyond <paramref name="count"/> add no width.
    /// </summary>
    /// <param name="longestCaption">Characters in the longest caption (an upper bound will do).</param>
    public static (long Width, long Height) Measure(int count, int columns, int scale, int longestCaption)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(longestCaption);
        int font = Math.Max(1, scale - 1), gap = 2 * scale, tile = Side * scale;
        long cellW = Math.Max(tile, (long)BitmapFont.Width(longestCaption, font)) + gap;
        long cellH = tile + BitmapFont.Height(font) + 2 * gap;
        long rows = Math.Max(1, ((long)count + columns - 1) / columns);
        return (Math.Min(columns, Math.Max(1, count)) * cellW + gap, rows * cellH + gap);
    }

    /// <summary>A 5 × 7 pixel font for digits, upper-case letters (lower case is drawn upper case) and
    /// the punctuation captions need. Each glyph is seven 5-bit rows packed into a ulong, top row first.</summary>
    static class BitmapFont
    {
        const int GlyphW = 5, GlyphH = 7, Advance = GlyphW + 1;

        const string Chars = "0123456789#: -./?%()=<>ABCDEFGHIJKLMNOPQRSTUVWXYZ";

        static readonly ulong[] Glyphs =
        [
            0x0E_11_13_15_19_11_0E, 0x04_0C_04_04_04_04_0E, 0x0E_11_01_02_04_08_1F, 0x1F_02_04_02_01_11_0E,
            0x02_06_0A_12_1F_02_02, 0x1F_10_1E_01_01_11_0E, 0x06_08_10_1E_11_11_0E, 0x1F_01_02_04_08_08_08,
            0x0E_11_11_0E_11_11_0E, 0x0E_11_11_0F_01_02_0C,
            0x0A_0A_1F_0A_1F_0A_0A, 0x00_0C_0C_00_0C_0C_00, 0, 0x00_00_00_1F_00_00_00,
            0x00_00_00_00_00_0C_0C, 0x00_01_02_04_08_10_00, 0x0E_11_01_02_04_00_04, 0x18_19_02_04_08_13_03,
            0x02_04_08_08_08_04_02, 0x08_04_02_02_02_04_08, 0x00_00_1F_00_1F_00_00, 0x02_04_08_10_08_04_02,
            0x08_04_02_01_02_04_08,
            0x0E_11_11_11_1F_11_11, 0x1E_11_11_1E_11_11_1E, 0x0E_11_10_10_10_11_0E, 0x1C_12_11_11_11_12_1C,
            0x1F_10_10_1E_10_10_1F, 0x1F_10_10_1E_10_10_10, 0x0E_11_10_17_11_11_0F, 0x11_11_11_1F_11_11_11,
            0x0E_04_04_04_04_04_0E, 0x07_02_02_02_02_12_0C, 0x11_12_14_18_14_12_11, 0x10_10_10_10_10_10_1F,
            0x11_1B_15_15_11_11_11, 0x11_11_19_15_13_11_11, 0x0E_11_11_11_11_11_0E, 0x1E_11_11_1E_10_10_10,
            0x0E_11_11_11_15_12_0D, 0x1E_11_11_1E_14_12_11, 0x0F_10_10_0E_01_01_1E, 0x1F_04_04_04_04_04_04,
            0x11_11_11_11_11_11_0E, 0x11_11_11_11_11_0A_04, 0x11_11_11_15_15_15_0A, 0x11_11_0A_04_0A_11_11,
            0x11_11_11_0A_04_04_04, 0x1F_01_02_04_08_10_1F,
        ];

        /// <summary>Width in pixels of <paramref name="length"/> characters at <paramref name="scale"/>.</summary>
        public static int Width(int length, int scale) => Math.Max(0, length * Advance - 1) * scale;

        public static int Height(int scale) => GlyphH * scale;

        public static void Draw(byte[] page, int stride, int left, int top, string text, int scale, byte ink)
        {
            for (int c = 0; c < text.Length; c++)
            {
                int index = Chars.IndexOf(char.ToUpperInvariant(text[c]));
                ulong glyph = Glyphs[index < 0 ? Chars.IndexOf('?') : index];
                for (int row = 0; row < GlyphH; row++)
                {
                    int bits = (int)(glyph >> (8 * (GlyphH - 1 - row))) & 0x1F;
                    for (int col = 0; col < GlyphW; col++)
                    {
                        if ((bits >> (GlyphW - 1 - col) & 1) == 0)
                            continue;
                        int x0 = left + (c * Advance + col) * scale, y0 = top + row * scale;
                        for (int y = y0; y < y0 + scale; y++)
                            page.AsSpan(y * stride + x0, scale).Fill(ink);
                    }
                }
            }
        }
    }
}
