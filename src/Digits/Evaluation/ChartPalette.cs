using ScottPlot;

namespace Digits.Evaluation;

/// <summary>The few colours all Digits charts share, so a model or a kind of cell looks the same in every figure.</summary>
internal static class ChartPalette
{
    /// <summary>Correct predictions, and "ours" in comparisons.</summary>
    public static readonly Color Correct = Color.FromHex("#1f5fa8");

    /// <summary>Mistakes, and published reference figures.</summary>
    public static readonly Color Error = Color.FromHex("#c0392b");

    /// <summary>A second series, such as validation against training.</summary>
    public static readonly Color Second = Color.FromHex("#e67e22");

    /// <summary>Blends white (at 0) towards <paramref name="color"/> (at 1).</summary>
    public static Color Shade(Color color, double amount)
    {
        double a = Math.Clamp(amount, 0, 1);
        byte Mix(byte channel) => (byte)Math.Round(255 + (channel - 255) * a);
        return new Color(Mix(color.R), Mix(color.G), Mix(color.B));
    }

    /// <summary>Black or white, whichever reads better on <paramref name="background"/> (by perceived luminance).</summary>
    public static Color TextOn(Color background) =>
        0.299 * background.R + 0.587 * background.G + 0.114 * background.B > 150 ? Colors.Black : Colors.White;
}
