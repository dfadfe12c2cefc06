using ScottPlot;

namespace Digits.Evaluation;

/// <summary>
/// Gives ScottPlot a font file to draw text with. The Linux SkiaSharp build Digits uses (NoDependencies) has no
/// fontconfig, so Skia finds no system fonts there and text would silently not render. Registering DejaVu Sans by
/// file path (Debian package <c>fonts-dejavu-core</c>) fixes that. Where the file is absent, ScottPlot's own
/// font lookup is left alone: Windows and macOS find their system fonts without help.
/// </summary>
internal static class ChartFont
{
    /// <summary>The family name charts ask for once the font file is registered.</summary>
    public const string Family = "DejaVu Sans";

    /// <summary>Where distributions put DejaVu Sans: Debian/Ubuntu, Fedora, Arch, and a per-machine install.</summary>
    private static readonly string[] Folders =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu-sans-fonts",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/TTF",
        "/usr/local/share/fonts",
    ];

    private static readonly Lazy<bool> Registered = new(Register);

    /// <summary>True when DejaVu Sans was found and registered; safe to call from many threads.</summary>
    public static bool EnsureRegistered() => Registered.Value;

    /// <summary>Title size in points; charts are made for about 800×600 pixels at 100 dpi.</summary>
    public const float TitleSize = 18;

    /// <summary>Axis label size in points.</summary>
    public const float AxisLabelSize = 16;

    /// <summary>Numeric tick label and legend size in points.</summary>
    public const float TickSize = 13;

    /// <summary>Size of tick labels that name categories (classes, models, parameter values), which carry more meaning than numeric ticks.</summary>
    public const float CategorySize = 15;

    /// <summary>
    /// Makes every text element of <paramref name="plot"/> use the registered font, if there is one, at sizes
    /// that stay legible when a chart is shown at half size in a README.
    /// </summary>
    public static void Apply(Plot plot)
    {
        if (EnsureRegistered())
            plot.Font.Set(Family);
        plot.Axes.Title.Label.FontSize = TitleSize;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontSize = AxisLabelSize;
            axis.TickLabelStyle.FontSize = TickSize;
        }
        plot.Legend.FontSize = TickSize;
    }

    private static bool Register()
    {
        foreach (var folder in Folders)
        {
            string regular = Path.Combine(folder, "DejaVuSans.ttf");
            if (!File.Exists(regular))
                continue;
            string bold = Path.Combine(folder, "DejaVuSans-Bold.ttf");
            Fonts.AddFontFile(Family, File.Exists(bold) ? bold : regular, bold: true, italic: false);
            Fonts.AddFontFile(Family, regular, bold: false, italic: false);
            Fonts.Default = Family;
            return true;
        }
        return false;
    }
}
