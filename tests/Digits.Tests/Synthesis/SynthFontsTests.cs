using Digits.Data;
using Digits.Synthesis;
using SkiaSharp;

namespace Digits.Tests.Synthesis;

/// <summary>synth-fonts: only fonts with every digit are used, a missing font is named with its package, and the set
/// is deterministic with a font column. Tiny generated fonts stand in for the Debian ones, so these tests do not depend
/// on what a machine has installed.</summary>
public class SynthFontsTests
{
    [Fact]
    public void A_font_with_every_digit_misses_none()
    {
        using var folder = new TempFolder();
        TinyFont.Write(folder.File("all.ttf"), "0123456789AB");
        using var typeface = SKTypeface.FromFile(folder.File("all.ttf"));

        Assert.NotNull(typeface);
        Assert.Equal("", HandwritingFonts.MissingDigits(typeface));
    }

    [Fact]
    public void A_font_without_a_digit_glyph_is_missing_that_digit()
    {
        using var folder = new TempFolder();
        TinyFont.Write(folder.File("no7.ttf"), "012345689");
        using var typeface = SKTypeface.FromFile(folder.File("no7.ttf"));

        Assert.Equal("7", HandwritingFonts.MissingDigits(typeface));
    }

    [Fact]
    public void A_digit_mapped_to_an_empty_glyph_counts_as_missing()
    {
        using var folder = new TempFolder();
        TinyFont.Write(folder.File("blank3.ttf"), "012456789", empty: "3");
        using var typeface = SKTypeface.FromFile(folder.File("blank3.ttf"));

        Assert.Equal("3", HandwritingFonts.MissingDigits(typeface));
    }

    [Fact]
    public void Choosing_fonts_drops_one_that_lacks_digits_and_keeps_the_rest()
    {
        using var folder = new TempFolder();
        TinyFont.Write(folder.File("all.ttf"), "0123456789");
        TinyFont.Write(folder.File("letters.ttf"), "ABC");
        HandwritingFont[] fonts = [new("Whole", "fonts-whole", [folder.File("all.ttf")]), new("Letters", "fonts-letters", [folder.File("letters.ttf")])];

        using var choice = FontSynthesizer.Choose(fonts);

        Assert.Equal(["Whole"], choice.Used.Select(f => f.Font.Name));
        var dropped = Assert.Single(choice.Dropped);
        Assert.Equal("Letters", dropped.Font.Name);
        Assert.Equal("has no glyph for 0, 1, 2, 3, 4, 5, 6, 7, 8, 9", dropped.Dropped);
        Assert.Empty(choice.Missing);
    }

    [Fact]
    public void No_installed_font_is_an_error_naming_the_files_and_the_apt_get_line()
    {
        HandwritingFont[] fonts = [new("Nowhere", "fonts-nowhere", ["/nonexistent/nowhere.ttf"]), new("Gone", "fonts-gone", ["/nonexistent/gone.otf"])];

        var e = Assert.Throws<DigitsException>(() => FontSynthesizer.Choose(fonts));

        Assert.Equal("fonts", e.Subject);
        Assert.Contains("/nonexistent/nowhere.ttf, /nonexistent/gone.otf", e.Problem);
        Assert.Contains("'apt-get install -y fonts-nowhere fonts-gone'", e.Problem);
    }

    [Fact]
    public void A_missing_font_is_listed_beside_the_ones_used()
    {
        using var folder = new TempFolder();
        TinyFont.Write(folder.File("all.ttf"), "0123456789");
        HandwritingFont[] fonts = [new("Whole", "fonts-whole", ["/nonexistent/first.ttf", folder.File("all.ttf")]), new("Gone", "fonts-gone", ["/nonexistent/gone.otf"])];

        using var choice = FontSynthesizer.Choose(fonts);

        Assert.Equal(folder.File("all.ttf"), Assert.Single(choice.Used).File);
        Assert.Equal("Gone", Assert.Single(choice.Missing).Name);
    }

    [Fact]
    public void A_font_set_is_deterministic_balanced_and_names_each_font()
    {
        using var folder = new TempFolder();
        TinyFont.Write(folder.File("a.ttf"), "0123456789");
        TinyFont.Write(folder.File("b.ttf"), "0123456789");
        HandwritingFont[] fonts = [new("Font A", "fonts-a", [folder.File("a.ttf")]), new("Font B", "fonts-b", [folder.File("b.ttf")])];
        using var choice = FontSynthesizer.Choose(fonts);
        string first = folder.File("first"), second = folder.File("second");

        var result = FontSynthesizer.Write(first, choice, seed: 5, count: 20);
        FontSynthesizer.Write(second, choice, seed: 5, count: 20);

        Assert.Equal(Enumerable.Repeat(2, 10), result.ClassCounts);
        var lines = File.ReadAllLines(result.Labels);
        Assert.Equal("file,label,font,height,canvas,rotation,pen,blur,format", lines[0]);
        Assert.Equal(21, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Contains(l.Split(',')[2], new[] { "Font A", "Font B" }));
        Assert.Equal(2, lines.Skip(1).Select(l => l.Split(',')[2]).Distinct().Count());
        foreach (string file in Directory.GetFiles(first))
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(second, Path.GetFileName(file))));
        var read = ImageFolder.Read(first, DatasetCatalog.Mnist.Labels);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i % 10), read.Files.Select(f => f.Label));
    }

    [Fact]
    public void The_font_list_names_a_package_and_a_file_for_every_font()
    {
        Assert.All(HandwritingFonts.All, f =>
        {
            Assert.StartsWith("fonts-", f.Package);
            Assert.NotEmpty(f.Files);
            Assert.All(f.Files, file => Assert.StartsWith("/usr/share/fonts/", file));
        });
        Assert.Equal(HandwritingFonts.All.Count, HandwritingFonts.All.Select(f => f.Name).Distinct().Count());
        Assert.Equal("apt-get install -y fonts-dkg-handwriting fonts-bwht fonts-femkeklaver fonts-humor-sans fonts-breip fonts-tlwg-purisa-ttf fonts-comic-neue",
            HandwritingFonts.InstallCommand());
    }
}
