using System.Globalization;

namespace Digits.Synthesis;

/// <summary>
/// Everything that decides how one synthetic photo looks, drawn from <see cref="PhotoRanges"/> by
/// <see cref="Draw"/>. <see cref="PhotoRenderer"/> turns these and an ink mask into the image file's bytes.
/// </summary>
/// <param name="DigitHeight">Height of the digit's box in px (<see cref="PhotoRanges.DigitHeight"/>).</param>
/// <param name="CanvasWidthScale">Picture width over <paramref name="DigitHeight"/>.</param>
/// <param name="CanvasHeightScale">Picture height over <paramref name="DigitHeight"/>.</param>
/// <param name="PlaceX">Where the digit sits across the room left beside it, 0 (left edge) to 1 (right edge).</param>
/// <param name="PlaceY">The same from top to bottom.</param>
/// <param name="LightAngle">Direction in which the light falls off, in radians.</param>
/// <param name="JpegQuality">JPEG quality, or null for PNG.</param>
/// <param name="NoiseSeed">Seed of the paper texture and sensor noise.</param>
public sealed record PhotoParameters(
    double DigitHeight, double CanvasWidthScale, double CanvasHeightScale, double PlaceX, double PlaceY,
    double RotationDegrees, int PenChange, double BlurSigma, int? JpegQuality,
    double PaperLevel, double InkLevel, double InkBlue, double LightFalloff, double LightAngle,
    double Texture, double Noise, ulong NoiseSeed)
{
    /// <summary>The columns <see cref="CsvValues"/> gives, for a labels.csv header.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } = ["height", "canvas", "rotation", "pen", "blur", "format"];

    public int CanvasWidth => (int)Math.Round(DigitHeight * CanvasWidthScale);

    public int CanvasHeight => (int)Math.Round(DigitHeight * CanvasHeightScale);

    /// <summary>The file extension the picture is saved with: <c>.jpg</c> or <c>.png</c>.</summary>
    public string Extension => JpegQuality is null ? ".png" : ".jpg";

    /// <summary>
    /// Draws one picture's parameters. Every value is drawn in a fixed order from <paramref name="rng"/>, so a picture
    /// is decided by its own random stream alone (callers give each picture <see cref="Rng.Derive"/> of the set's seed).
    /// </summary>
    public static PhotoParameters Draw(Rng rng, PhotoRanges ranges)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(ranges);
        double height = ranges.DigitHeight.LogUniform(rng);
        double widthScale = ranges.CanvasScale.Uniform(rng), heightScale = ranges.CanvasScale.Uniform(rng);
        double placeX = rng.NextDouble(), placeY = rng.NextDouble();
        double rotation = ranges.RotationDegrees.Uniform(rng);
        int pen = ranges.PenChange.Integer(rng);
        double blur = ranges.BlurSigma.Uniform(rng);
        bool png = rng.NextDouble() < ranges.PngShare;
        int quality = ranges.JpegQuality.Integer(rng);
        double paper = ranges.PaperLevel.Uniform(rng), ink = ranges.InkLevel.Uniform(rng), blue = ranges.InkBlue.Uniform(rng);
        double falloff = ranges.LightFalloff.Uniform(rng), angle = 2 * Math.PI * rng.NextDouble();
        double texture = ranges.Texture.Uniform(rng), noise = ranges.Noise.Uniform(rng);
        return new PhotoParameters(height, widthScale, heightScale, placeX, placeY, rotation, pen, blur, png ? null : quality,
            paper, ink, blue, falloff, angle, texture, noise, rng.NextUInt64());
    }

    /// <summary>Whether every parameter lies in <paramref name="ranges"/>.</summary>
    public bool IsWithin(PhotoRanges ranges) =>
        ranges.DigitHeight.Contains(DigitHeight) && ranges.CanvasScale.Contains(CanvasWidthScale) && ranges.CanvasScale.Contains(CanvasHeightScale)
        && PlaceX is >= 0 and <= 1 && PlaceY is >= 0 and <= 1 && ranges.RotationDegrees.Contains(RotationDegrees)
        && ranges.PenChange.Contains(PenChange) && ranges.BlurSigma.Contains(BlurSigma)
        && (JpegQuality is null || ranges.JpegQuality.Contains(JpegQuality.Value))
        && ranges.PaperLevel.Contains(PaperLevel) && ranges.InkLevel.Contains(InkLevel) && ranges.InkBlue.Contains(InkBlue)
        && ranges.LightFalloff.Contains(LightFalloff) && ranges.Texture.Contains(Texture) && ranges.Noise.Contains(Noise);

    /// <summary>The values of <see cref="CsvColumns"/>: height in px, canvas as <c>WxH</c>, rotation in degrees, pen
    /// change in px, blur σ in px, and <c>jpeg-Q</c> or <c>png</c>.</summary>
    public IReadOnlyList<string> CsvValues() =>
    [
        DigitHeight.ToString("F1", CultureInfo.InvariantCulture),
        $"{CanvasWidth}x{CanvasHeight}",
        RotationDegrees.ToString("F2", CultureInfo.InvariantCulture),
        PenChange.ToString(CultureInfo.InvariantCulture),
        BlurSigma.ToString("F3", CultureInfo.InvariantCulture),
        JpegQuality is { } q ? $"jpeg-{q}" : "png",
    ];
}
