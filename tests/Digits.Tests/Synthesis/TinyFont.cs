using System.Buffers.Binary;
using System.Text;

namespace Digits.Tests.Synthesis;

/// <summary>
/// Writes a minimal TrueType font (head, hhea, maxp, cmap format 12, loca, glyf, hmtx, name, post) whose glyphs are
/// plain rectangles, so the font checks can be tested on fonts that lack a digit, or map one to an empty glyph,
/// without depending on which fonts a machine has.
/// </summary>
internal static class TinyFont
{
    /// <summary>Writes the font to <paramref name="path"/>.</summary>
    /// <param name="drawn">Characters that get a rectangle outline.</param>
    /// <param name="empty">Characters mapped to a glyph with no outline.</param>
    public static void Write(string path, string drawn, string empty = "")
    {
        var chars = (drawn + empty).ToCharArray();
        int glyphs = chars.Length + 1;
        var glyf = new List<byte>();
        var loca = new List<ushort> { 0, 0 }; // glyph 0 (.notdef) starts and ends at 0
        for (int g = 1; g < glyphs; g++)
        {
            if (g <= drawn.Length)
                glyf.AddRange(Rectangle());
            loca.Add((ushort)(glyf.Count / 2));
        }

        var tables = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["cmap"] = Cmap(chars),
            ["glyf"] = [.. glyf],
            ["head"] = Build(w => { w.U16(1); w.U16(0); w.U32(0x10000); w.U32(0); w.U32(0x5F0F3CF5); w.U16(3); w.U16(1000); w.Zeros(16); w.I16(0); w.I16(0); w.I16(600); w.I16(700); w.U16(0); w.U16(8); w.I16(2); w.I16(0); w.I16(0); }),
            ["hhea"] = Build(w => { w.U16(1); w.U16(0); w.I16(800); w.I16(-200); w.I16(0); w.U16(700); w.I16(0); w.I16(0); w.I16(600); w.I16(1); w.I16(0); w.I16(0); w.Zeros(8); w.I16(0); w.U16((ushort)glyphs); }),
            ["hmtx"] = Build(w => { for (int g = 0; g < glyphs; g++) { w.U16(700); w.I16(50); } }),
            ["loca"] = Build(w => loca.ForEach(w.U16)),
            ["maxp"] = Build(w => { w.U32(0x10000); w.U16((ushort)glyphs); w.U16(4); w.U16(1); w.U16(0); w.U16(0); w.U16(2); w.Zeros(16); }),
            ["name"] = Name("Tiny"),
            ["post"] = Build(w => { w.U32(0x30000); w.U32(0); w.I16(-100); w.I16(50); w.Zeros(20); }),
        };

        int count = tables.Count, power = 1, log = 0;
        while (power * 2 <= count) { power *= 2; log++; }
        var font = new Writer();
        font.U32(0x10000); font.U16((ushort)count); font.U16((ushort)(power * 16)); font.U16((ushort)log); font.U16((ushort)(count * 16 - power * 16));
        int offset = 12 + 16 * count;
        foreach (var (tag, data) in tables)
        {
            font.Bytes(Encoding.ASCII.GetBytes(tag)); font.U32(Checksum(data)); font.U32((uint)offset); font.U32((uint)data.Length);
            offset += (data.Length + 3) & ~3;
        }
        foreach (var data in tables.Values)
        {
            font.Bytes(data);
            font.Zeros(((data.Length + 3) & ~3) - data.Length);
        }
        File.WriteAllBytes(path, font.ToArray());
    }

    /// <summary>A 500 × 700 unit rectangle: one contour of four on-curve points, coordinates as 16-bit deltas.</summary>
    private static byte[] Rectangle() => Build(w =>
    {
        w.I16(1); w.I16(50); w.I16(0); w.I16(550); w.I16(700);
        w.U16(3); w.U16(0);
        w.Bytes([1, 1, 1, 1]);
        w.I16(50); w.I16(500); w.I16(0); w.I16(-500);
        w.I16(0); w.I16(0); w.I16(700); w.I16(0);
    });

    /// <summary>A Windows Unicode (3, 10) cmap of format 12, one group per character.</summary>
    private static byte[] Cmap(char[] chars) => Build(w =>
    {
        w.U16(0); w.U16(1); w.U16(3); w.U16(10); w.U32(12);
        w.U16(12); w.U16(0); w.U32((uint)(16 + 12 * chars.Length)); w.U32(0); w.U32((uint)chars.Length);
        var order = Enumerable.Range(0, chars.Length).OrderBy(i => chars[i]);
        foreach (int i in order)
        {
            w.U32(chars[i]); w.U32(chars[i]); w.U32((uint)(i + 1));
        }
    });

    private static byte[] Name(string family)
    {
        byte[] text = Encoding.BigEndianUnicode.GetBytes(family);
        return Build(w =>
        {
            w.U16(0); w.U16(1); w.U16(18);
            w.U16(3); w.U16(1); w.U16(0x409); w.U16(1); w.U16((ushort)text.Length); w.U16(0);
            w.Bytes(text);
        });
    }

    private static uint Checksum(byte[] data)
    {
        uint sum = 0;
        var padded = new byte[(data.Length + 3) & ~3];
        data.CopyTo(padded, 0);
        for (int i = 0; i < padded.Length; i += 4)
            sum += BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(i));
        return sum;
    }

    private static byte[] Build(Action<Writer> write)
    {
        var w = new Writer();
        write(w);
        return w.ToArray();
    }

    /// <summary>Big-endian writes, as every TrueType field is stored.</summary>
    private sealed class Writer
    {
        private readonly List<byte> bytes = [];

        public void U16(ushort v) { bytes.Add((byte)(v >> 8)); bytes.Add((byte)v); }

        public void I16(int v) => U16((ushort)(short)v);

        public void U32(uint v) { U16((ushort)(v >> 16)); U16((ushort)v); }

        public void Bytes(IEnumerable<byte> data) => bytes.AddRange(data);

        public void Zeros(int n) => bytes.AddRange(new byte[n]);

        public byte[] ToArray() => [.. bytes];
    }
}
