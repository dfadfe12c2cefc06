namespace Digits.Synthesis;

/// <summary>A closed interval [<see cref="Min"/>, <see cref="Max"/>] a photo parameter is drawn from.</summary>
public readonly record struct ValueRange(double Min, double Max)
{
    public bool Contains(double value) => value >= Min && value <= Max;

    /// <summary>A uniform draw.</summary>
    public double Uniform(Rng rng) => Min + (Max - Min) * rng.NextDouble();

    /// <summary>A draw uniform in log space, for sizes that vary by factors rather than by steps (both ends positive).</summary>
    public double LogUniform(Rng rng) => Math.Exp(Math.Log(Min) + (Math.Log(Max) - Math.Log(Min)) * rng.NextDouble());

    /// <summary>A whole number drawn uniformly from the integers in the range, both ends included.</summary>
    public int Integer(Rng rng) => (int)Math.Ceiling(Min) + rng.NextInt((int)Math.Floor(Max) - (int)Math.Ceiling(Min) + 1);

    public override string ToString() => $"{Min:G4}…{Max:G4}";
}

/// <summary>
/// How far the synthetic "real world" sets (<c>digits data synth-scans</c> and <c>synth-fonts</c>) stray from MNIST:
/// the range of every parameter of a phone photo or scan of one handwritten digit. Each image draws each parameter
/// from its range with its own random stream (<see cref="PhotoParameters.Draw"/>), so a seed fixes the whole set.
/// </summary>
/// <remarks>
/// These ranges were fixed on 2026-12-07, from issue 13's description of how photos and scans arrive, <b>before any
/// model was trained or scored on these sets</b>, and are not to be tuned against results: a set made with other
/// ranges is another set, and a figure measured on it says which. The CLI has no flags for them on purpose.
/// Sizes are in pixels of the output image, levels are 8-bit gray levels (0 black, 255 white).
/// </remarks>
public sealed record PhotoRanges
{
    /// <summary>The ranges every synthetic set is made with.</summary>
    public static PhotoRanges Fixed { get; } = new();

    /// <summary>Height of the digit in px: MNIST's 20-px box (or a font glyph's ink) scaled to it. Log-uniform, so small
    /// digits (a scan at 100 dpi, a far photo) are as common as large ones (a close phone photo).</summary>
    public ValueRange DigitHeight { get; init; } = new(30, 400);

    /// <summary>Width and height of the picture, each as a multiple of the digit height (drawn separately): the digit
    /// sits in a larger page, anywhere it fits whole, rotated.</summary>
    public ValueRange CanvasScale { get; init; } = new(1.5, 3.0);

    /// <summary>Tilt of the digit in degrees, clockwise positive.</summary>
    public ValueRange RotationDegrees { get; init; } = new(-15, 15);

    /// <summary>Change of pen thickness in whole px at the output's scale: −1 erodes the strokes by 1 px on each side
    /// (a fine pen), +4 dilates them by 4 px (a marker). Uniform over the integers.</summary>
    public ValueRange PenChange { get; init; } = new(-1, 4);

    /// <summary>Gaussian blur σ in px (focus, motion, a scanner's optics).</summary>
    public ValueRange BlurSigma { get; init; } = new(0, 1.5);

    /// <summary>JPEG quality, as phones and scanners save, for the pictures not saved as PNG.</summary>
    public ValueRange JpegQuality { get; init; } = new(50, 95);

    /// <summary>Share of pictures saved as PNG (lossless, as a scanner or a screenshot saves).</summary>
    public double PngShare { get; init; } = 0.25;

    /// <summary>Gray level of the paper where it is lit best.</summary>
    public ValueRange PaperLevel { get; init; } = new(190, 250);

    /// <summary>Gray level of the ink where it covers the paper fully: dark ink, from black to a mid blue.</summary>
    public ValueRange InkLevel { get; init; } = new(10, 70);

    /// <summary>How blue the ink is, 0 (black or graphite) to 1 (a blue ballpoint).</summary>
    public ValueRange InkBlue { get; init; } = new(0, 1);

    /// <summary>Uneven lighting: the fraction by which light falls off from one side of the page to the other, in a
    /// direction drawn uniformly (a shadow of the phone or the hand, a lamp at one side).</summary>
    public ValueRange LightFalloff { get; init; } = new(0, 0.4);

    /// <summary>Paper texture: amplitude in gray levels of a smooth random field (fibres, creases, uneven whiteness).</summary>
    public ValueRange Texture { get; init; } = new(2, 10);

    /// <summary>Sensor noise: σ in gray levels of independent Gaussian noise per pixel.</summary>
    public ValueRange Noise { get; init; } = new(0, 4);
}
