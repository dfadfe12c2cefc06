namespace Digits.Tests.Imaging;

/// <summary>
/// Image files Skia cannot write (BMP, GIF) and a JPEG EXIF orientation tag, built byte by byte
/// from the format specifications so decoder tests need no fixtures on disk.
/// </summary>
internal static class HandMadeFiles
{
    /// <summary>An uncompressed 24-bit bottom-up BMP (BITMAPINFOHEADER) of gray levels.</summary>
    public static byte[] Bmp(int width, int height, Func<int, int, byte> gray)
    {
        int rowBytes = (width * 3 + 3) & ~3, size = 54 + rowBytes * height;
        var bmp = new byte[size];
        var w = new BinaryWriter(new MemoryStream(bmp));
        w.Write("BM"u8); w.Write(size); w.Write(0); w.Write(54);
        w.Write(40); w.Write(width); w.Write(height); w.Write((short)1); w.Write((short)24);
        w.Write(0); w.Write(rowBytes * height); w.Write(2835); w.Write(2835); w.Write(0); w.Write(0);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
                bmp.AsSpan(54 + (height - 1 - y) * rowBytes + x * 3, 3).Fill(gray(x, y));
        }
        return bmp;
    }

    /// <summary>
    /// A GIF89a with a 4-colour palette and one frame per entry of <paramref name="frames"/> (palette
    /// indices, row-major). The LZW stream sends a clear code before every two pixels, so the code width
    /// stays at 3 bits and no compressor is needed.
    /// </summary>
    public static byte[] Gif(int width, int height, byte[][] palette, params byte[][] frames)
    {
        var gif = new MemoryStream();
        var w = new BinaryWriter(gif);
        w.Write("GIF89a"u8);
        w.Write((short)width); w.Write((short)height);
        w.Write((byte)0x91); w.Write((byte)0); w.Write((byte)0);   // global palette of 4 colours
        foreach (var rgb in palette)
            w.Write(rgb);
        foreach (var frame in frames)
        {
            w.Write([0x21, 0xF9, 0x04, 0x00, 0x0A, 0x00, 0x00, 0x00]);   // graphic control: 0.1 s delay
            w.Write((byte)0x2C); w.Write((short)0); w.Write((short)0); w.Write((short)width); w.Write((short)height); w.Write((byte)0);
            w.Write((byte)2);   // LZW minimum code size: clear = 4, end = 5, codes 3 bits wide
            var codes = new List<int>();
            for (int i = 0; i < frame.Length; i++)
            {
                if (i % 2 == 0)
                    codes.Add(4);
                codes.Add(frame[i]);
            }
            codes.Add(5);
            var data = new byte[(codes.Count * 3 + 7) / 8];
            for (int c = 0; c < codes.Count; c++)
            {
                for (int bit = 0; bit < 3; bit++)
                {
                    if ((codes[c] >> bit & 1) != 0)
                        data[(c * 3 + bit) / 8] |= (byte)(1 << ((c * 3 + bit) % 8));
                }
            }
            foreach (var block in data.Chunk(255))
            {
                w.Write((byte)block.Length);
                w.Write(block);
            }
            w.Write((byte)0);
        }
        w.Write((byte)0x3B);
        return gif.ToArray();
    }

    /// <summary>Inserts an APP1 Exif segment holding only an Orientation tag (1..8) right after the JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        byte[] app1 =
        [
            0xFF, 0xE1, 0x00, 0x22,                       // APP1, 34 bytes including this length
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at offset 8
            0x00, 0x01,                                   // one entry
            0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1,           // Orientation, SHORT, count 1
            0x00, (byte)orientation, 0, 0,
            0, 0, 0, 0,                                   // no next IFD
        ];
        return [.. jpeg.AsSpan(0, 2), .. app1, .. jpeg.AsSpan(2)];
    }
}
