namespace Digits.Imaging;

/// <summary>
/// Renders a gallery of 28 × 28 digits as a PNG: each digit as stored (white ink on a black tile), enlarged, with a
/// caption of one or more lines underneath on the white page, and optionally a heading above the grid that says what
/// the picture shows and how to read the captions.
/// Text uses a built-in 5 × 7 bitmap font because the self-contained Linux build of Skia has no fontconfig, and with
/// no font found text would silently come out blank.
/// </summary>
/// <remarks>
/// Cells are as wide as the widest caption line plus two character widths, so the captions of neighbouring tiles
/// never touch, however long the indices or labels; short captions leave the cells as wide as the tile plus a gap.
/// Below a caption there is twice the gap above it, so each caption reads as belonging to the tile over it.
/// </remarks>
public static class DigitGrid
{
    const int Side = MnistNormalizer.Size;
    const byte Page = 255, Text = 32;

    /// <summary>Renders <c>images.Length / 784</c> digits, row by row, <paramref name="columns"/> per row.</summary>
    /// <param name="images">Consecutive 28 × 28 white-on-black images, row-major.</param>
    /// <param name="captions">One caption per image; empty for none; <c>\n</c> separates lines, each centred under
    /// the tile. Characters the font lacks print as <c>?</c>.</param>
    /// <param name="columns">Tiles per row, at least 1.</param>
    /// <param name="scale">Enlargement of each digit pixel, at least 1; text grows with it.</param>
    /// <param name="heading">Lines drawn left-aligned above the grid, the first one larger as a title; null or empty for none.</param>
    public static byte[] RenderPng(ReadOnlySpan<byte> images, IReadOnlyList<string> captions, int columns, int scale = 3,
        IReadOnlyList<string>? heading = null)
    {
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        if (images.Length % (Side * Side) != 0)
            throw new ArgumentException($"must hold whole 28 × 28 images, has {images.Length} bytes", nameof(images));
        int count = images.Length / (Side * Side);
        if (captions.Count != count)
            throw new ArgumentException($"must hold one caption per image ({count}), has {captions.Count}", nameof(captions));

        var lines = captions.Select(c => c.Split('\n')).ToArray();
        int longest = lines.Length == 0 ? 0 : lines.Max(l => l.Max(line => line.Length));
        int lineCount = lines.Length == 0 ? 1 : lines.Max(l => l.Length);
        var layout = new Layout(count, columns, scale, longest, lineCount, heading ?? []);
        if (layout.Width * layout.Height > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(columns), $"the picture would be {layout.Width}x{layout.Height} pixels, more than one array holds");
        int width = (int)layout.Width, height = (int)layout.Height;
        var page = new byte[width * height];
        Array.Fill(page, Page);

        int y0 = layout.Gap;
        for (int h = 0; h < layout.Heading.Count; h++)
        {
            int font = h == 0 ? layout.TitleFont : layout.Font;
            BitmapFont.Draw(page, width, layout.Gap, y0, layout.Heading[h], font, Text);
            y0 += BitmapFont.Height(font) + layout.LineGap;
        }

        int tile = layout.Tile, cellW = (int)layout.CellWidth, cellH = (int)layout.CellHeight;
        for (int n = 0; n < count; n++)
        {
            int left = layout.Gap + n % columns * cellW, top = (int)layout.GridTop + n / columns * cellH;
            int inner = cellW - layout.Gap;
            int tileLeft = left + (inner - tile) / 2;
            var digit = images.Slice(n * Side * Side, Side * Side);
            for (int y = 0; y < tile; y++)
            {
                for (int x = 0; x < tile; x++)
                    page[(top + y) * width + tileLeft + x] = digit[y / scale * Side + x / scale];
            }
            int lineTop = top + tile + layout.Gap;
            foreach (var line in lines[n])
            {
                int textLeft = left + (inner - BitmapFont.Width(line.Length, layout.Font)) / 2;
                BitmapFont.Draw(page, width, textLeft, lineTop, line, layout.Font, Text);
                lineTop += BitmapFont.Height(layout.Font) + layout.LineGap;
            }
        }
        return ImageEncoder.EncodePng(new GrayImage(width, height, page));
    }

    /// <summary>
    /// The size in pixels of the picture <see cref="RenderPng"/> makes, without making it, so that a caller can refuse
    /// an oversized one before loading any data. Columns beyond <paramref name="count"/> add no width.
    /// </summary>
    /// <param name="longestCaption">Characters in the longest caption line (an upper bound will do).</param>
    /// <param name="captionLines">Lines in the tallest caption.</param>
    /// <param name="heading">The heading that will be passed to <see cref="RenderPng"/>, if any.</param>
    public static (long Width, long Height) Measure(int count, int columns, int scale, int longestCaption, int captionLines = 1,
        IReadOnlyList<string>? heading = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(longestCaption);
        ArgumentOutOfRangeException.ThrowIfLessThan(captionLines, 1);
        var layout = new Layout(count, columns, scale, longestCaption, captionLines, heading ?? []);
        return (layout.Width, layout.Height);
    }

    /// <summary>Every size and position of a grid picture, in pixels, shared by <see cref="RenderPng"/> and <see cref="Measure"/>.</summary>
    private readonly struct Layout
    {
        public Layout(int count, int columns, int scale, int longestCaption, int captionLines, IReadOnlyList<string> heading)
        {
            Heading = heading;
            Font = Math.Max(1, scale - 1);
            TitleFont = Font + 1;
            Gap = 2 * scale;
            LineGap = 2 * Font;
            Tile = Side * scale;
            long captionWidth = BitmapFont.Width(longestCaption, Font);
            CellWidth = Math.Max(Tile + Gap, captionWidth + 2 * BitmapFont.Width(1, Font) + 2 * Font);
            CellHeight = Tile + Gap + captionLines * (long)BitmapFont.Height(Font) + (captionLines - 1) * LineGap + 2 * Gap;
            long headingHeight = 0, headingWidth = 0;
            for (int h = 0; h < heading.Count; h++)
            {
                int font = h == 0 ? TitleFont : Font;
                headingHeight += BitmapFont.Height(font) + LineGap;
                headingWidth = Math.Max(headingWidth, BitmapFont.Width(heading[h].Length, font));
            }
            GridTop = Gap + (heading.Count == 0 ? 0 : headingHeight - LineGap + 2 * Gap);
            long rows = Math.Max(1, ((long)count + columns - 1) / columns);
            long gridWidth = Math.Min(columns, Math.Max(1, count)) * CellWidth + Gap;
            Width = Math.Max(gridWidth, headingWidth + 2 * Gap);
            Height = GridTop + rows * CellHeight;
        }

        public IReadOnlyList<string> Heading { get; }
        public int Font { get; }
        public int TitleFont { get; }
        public int Gap { get; }
        public int LineGap { get; }
        public int Tile { get; }
        public long CellWidth { get; }
        public long CellHeight { get; }
        public long GridTop { get; }
        public long Width { get; }
        public long Height { get; }
    }

    /// <summary>A 5 × 7 pixel font for digits, upper-case letters (lower case is drawn upper case), the
    /// punctuation captions and headings need, and the arrow →. Each glyph is seven 5-bit rows packed into a ulong, top row first.</summary>
    internal static class BitmapFont
    {
        const int GlyphW = 5, GlyphH = 7, Advance = GlyphW + 1;

        const string Chars = "0123456789#: -./?%()=<>ABCDEFGHIJKLMNOPQRSTUVWXYZ,'_+!\u2192";

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
            0x00_00_00_00_0C_04_08, 0x0C_04_08_00_00_00_00, 0x00_00_00_00_00_00_1F, 0x00_04_04_1F_04_04_00,
            0x04_04_04_04_04_00_04, 0x00_04_02_1F_02_04_00,
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
