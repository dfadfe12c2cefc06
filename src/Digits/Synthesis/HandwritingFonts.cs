using SkiaSharp;

namespace Digits.Synthesis;

/// <summary>A handwriting-style font from a Debian package.</summary>
/// <param name="Name">How sets and reports name it (labels.csv's <c>font</c> column).</param>
/// <param name="Package">The Debian package that installs it.</param>
/// <param name="Files">Where the package puts its file; the first one that exists is used.</param>
public sealed record HandwritingFont(string Name, string Package, IReadOnlyList<string> Files);

/// <summary>A font whose file was found, with why it is or is not used.</summary>
/// <param name="File">The file found.</param>
/// <param name="Dropped">Why the font is not used (a digit it lacks), or null when it is.</param>
public sealed record FontCheck(HandwritingFont Font, string File, string? Dropped);

/// <summary>
/// The one list of fonts <c>digits data synth-fonts</c> draws digits in, with the files their Debian packages install
/// (Debian bookworm paths). The Linux SkiaSharp build Digits uses has no fontconfig, so fonts are opened by file path,
/// never by family name. A font is used only if it has an outline for every digit 0–9 (<see cref="MissingDigits"/>).
/// </summary>
/// <remarks>
/// The packages are free fonts that imitate handwriting (or, for Humor Sans and Comic Neue, lettering by hand). The six
/// "Because We…" faces of fonts-bwht are the hands of six different people, so each is its own font here.
/// </remarks>
public static class HandwritingFonts
{
    private static HandwritingFont Font(string name, string package, params string[] files) => new(name, package, files);

    /// <summary>Every candidate font, in the order sets number them.</summary>
    public static IReadOnlyList<HandwritingFont> All { get; } =
    [
        Font("DKG Handwriting", "fonts-dkg-handwriting", "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf"),
        Font("Because We Build", "fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf"),
        Font("Because We Connect", "fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf"),
        Font("Because We Create", "fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf"),
        Font("Because We Learn", "fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf"),
        Font("Because We Mentor", "fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf"),
        Font("Because We Organize", "fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf"),
        Font("Femke Klaver", "fonts-femkeklaver", "/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf"),
        Font("Humor Sans", "fonts-humor-sans", "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf"),
        Font("Breip", "fonts-breip", "/usr/share/fonts/truetype/breip/Breip.ttf"),
        Font("Purisa", "fonts-tlwg-purisa-ttf", "/usr/share/fonts/truetype/tlwg/Purisa.ttf"),
        Font("Comic Neue", "fonts-comic-neue", "/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf"),
    ];

    /// <summary>The command that installs every package of <paramref name="fonts"/> (default: <see cref="All"/>).</summary>
    public static string InstallCommand(IEnumerable<HandwritingFont>? fonts = null) =>
        "apt-get install -y " + string.Join(" ", (fonts ?? All).Select(f => f.Package).Distinct());

    /// <summary>
    /// Finds each font's file and checks it has every digit. Fonts whose files are all missing are left out; the caller
    /// says so, with <see cref="InstallCommand"/>.
    /// </summary>
    public static IReadOnlyList<FontCheck> Check(IEnumerable<HandwritingFont>? fonts = null)
    {
        var checks = new List<FontCheck>();
        foreach (var font in fonts ?? All)
        {
            if (font.Files.FirstOrDefault(File.Exists) is not { } file)
                continue;
            using var typeface = SKTypeface.FromFile(file);
            string? dropped = typeface is null ? "Skia cannot open the file"
                : MissingDigits(typeface) is { Length: > 0 } missing ? $"has no glyph for {string.Join(", ", missing.ToCharArray())}"
                : null;
            checks.Add(new FontCheck(font, file, dropped));
        }
        return checks;
    }

    /// <summary>
    /// The digits 0–9 that <paramref name="typeface"/> cannot draw: those its character map lacks
    /// (<see cref="SKFont.ContainsGlyphs(string)"/>), and those mapped to a glyph with no outline (some fonts map every
    /// character to an empty glyph rather than leave it out); an empty string when it has them all.
    /// </summary>
    public static string MissingDigits(SKTypeface typeface)
    {
        ArgumentNullException.ThrowIfNull(typeface);
        using var font = new SKFont(typeface, 100);
        var missing = new System.Text.StringBuilder();
        for (char digit = '0'; digit <= '9'; digit++)
        {
            string text = digit.ToString();
            if (!font.ContainsGlyphs(text))
            {
                missing.Append(digit);
                continue;
            }
            using var outline = font.GetGlyphPath(font.GetGlyph(digit));
            if (outline is null || outline.IsEmpty || outline.TightBounds.Width <= 0 || outline.TightBounds.Height <= 0)
                missing.Append(digit);
        }
        return missing.ToString();
    }
}
