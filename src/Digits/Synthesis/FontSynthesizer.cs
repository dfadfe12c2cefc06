using SkiaSharp;

namespace Digits.Synthesis;

/// <summary>The fonts a synth-fonts run draws with, each with its ten digit outlines, and what was left out.</summary>
public sealed class FontChoice : IDisposable
{
    private readonly SKPath[][] outlines;

    internal FontChoice(IReadOnlyList<FontCheck> used, IReadOnlyList<FontCheck> dropped, IReadOnlyList<HandwritingFont> missing, SKPath[][] outlines)
    {
        Used = used;
        Dropped = dropped;
        Missing = missing;
        this.outlines = outlines;
    }

    /// <summary>The fonts drawn with, in <see cref="HandwritingFonts.All"/> order.</summary>
    public IReadOnlyList<FontCheck> Used { get; }

    /// <summary>Fonts found but not used, with why (<see cref="FontCheck.Dropped"/>).</summary>
    public IReadOnlyList<FontCheck> Dropped { get; }

    /// <summary>Fonts whose files are not on this machine.</summary>
    public IReadOnlyList<HandwritingFont> Missing { get; }

    /// <summary>The outline of <paramref name="digit"/> in font <paramref name="font"/> (an index into <see cref="Used"/>), y down.
    /// Outlines are only read, never changed, so threads may share them.</summary>
    public SKPath Outline(int font, int digit) => outlines[font][digit];

    public void Dispose()
    {
        foreach (var font in outlines)
        {
            foreach (var path in font)
                path.Dispose();
        }
    }
}

/// <summary>
/// <c>digits data synth-fonts</c>: the digits 0–9 written in handwriting-style fonts (<see cref="HandwritingFonts"/>),
/// on paper, with the same photo effects and fixed ranges as <see cref="ScanSynthesizer"/>. Picture <c>i</c> shows
/// the digit <c>i mod 10</c>, so every digit is equally common; its font and photo parameters come from its own
/// random stream. labels.csv's <c>font</c> column names the font, so accuracy can be given per font.
/// </summary>
public static class FontSynthesizer
{
    /// <summary>The set's labels.csv columns after <c>file,label</c>.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["font", .. PhotoParameters.CsvColumns];

    /// <summary>
    /// Opens the fonts of <paramref name="fonts"/> (default: <see cref="HandwritingFonts.All"/>) that are installed and
    /// have every digit.
    /// </summary>
    /// <exception cref="DigitsException">None is usable: the message names the files looked for and the apt-get line
    /// that installs them, or why the fonts found were dropped.</exception>
    public static FontChoice Choose(IReadOnlyList<HandwritingFont>? fonts = null)
    {
        fonts ??= HandwritingFonts.All;
        var checks = HandwritingFonts.Check(fonts);
        var found = checks.Select(c => c.Font).ToHashSet();
        var missing = fonts.Where(f => !found.Contains(f)).ToArray();
        var used = checks.Where(c => c.Dropped is null).ToArray();
        var dropped = checks.Where(c => c.Dropped is not null).ToArray();
        if (used.Length == 0)
        {
            string files = string.Join(", ", missing.SelectMany(f => f.Files));
            string why = dropped.Length == 0 ? "" : "; found but dropped: " + string.Join("; ", dropped.Select(d => $"{d.File} {d.Dropped}"));
            throw new DigitsException("fonts", missing.Length == 0
                ? $"no handwriting font has every digit{why}"
                : $"no handwriting font installed with every digit: missing {files}{why}; install them with '{HandwritingFonts.InstallCommand(missing)}'");
        }
        var outlines = new SKPath[used.Length][];
        for (int f = 0; f < used.Length; f++)
        {
            using var typeface = SKTypeface.FromFile(used[f].File);
            using var font = new SKFont(typeface, 200);
            outlines[f] = new SKPath[10];
            for (int digit = 0; digit < 10; digit++)
                outlines[f][digit] = font.GetGlyphPath(font.GetGlyph((char)('0' + digit)));
        }
        return new FontChoice(used, dropped, missing, outlines);
    }

    /// <summary>Renders picture <paramref name="index"/> of the set made with <paramref name="seed"/>.</summary>
    public static SynthImage Render(FontChoice fonts, ulong seed, int index, PhotoRanges ranges)
    {
        ArgumentNullException.ThrowIfNull(fonts);
        var rng = Rng.Derive(seed, (ulong)index + 1);
        int font = rng.NextInt(fonts.Used.Count);
        int digit = index % 10;
        var parameters = PhotoParameters.Draw(rng, ranges);
        var mask = InkMask.FromGlyph(fonts.Outline(font, digit), parameters);
        byte[] encoded = PhotoRenderer.Render(mask, parameters);
        return new SynthImage(encoded, parameters.Extension, digit, [fonts.Used[font].Font.Name, .. parameters.CsvValues()]);
    }

    /// <summary>Makes the whole set in <paramref name="folder"/> (checked beforehand with <see cref="SynthSet.CheckFolder"/>).</summary>
    public static SynthSetResult Write(string folder, FontChoice fonts, ulong seed, int count,
        PhotoRanges? ranges = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ranges ??= PhotoRanges.Fixed;
        return SynthSet.Write(folder, count, Columns, i => Render(fonts, seed, i, ranges), progress, cancellationToken);
    }
}
