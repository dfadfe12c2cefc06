using System.Numerics.Tensors;
using SkiaSharp;

namespace Digits.Synthesis;

/// <summary>
/// Where the ink of one synthetic photo lies: a coverage map the size of the picture, 0 (bare paper) to 255 (paper
/// fully covered), with the digit scaled to <see cref="PhotoParameters.DigitHeight"/>, rotated, placed off-centre
/// where it fits whole, and its strokes thinned or thickened by <see cref="PhotoParameters.PenChange"/>.
/// <see cref="PhotoRenderer"/> lays it on paper.
/// </summary>
public sealed class InkMask
{
    /// <summary>MNIST's box: the longer side of each digit's ink is 20 of its 28 px.</summary>
    private const double MnistBox = 20;

    private InkMask(int width, int height, byte[] coverage)
    {
        Width = width;
        Height = height;
        Coverage = coverage;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major coverage, <c>Width × Height</c> bytes.</summary>
    public byte[] Coverage { get; }

    /// <summary>
    /// An MNIST digit (28×28, white ink on black) as ink: its gray level is the ink's coverage, so its antialiased edges
    /// stay soft as a pen's are. MNIST's 20-px box becomes the digit height; the upscaling is bicubic (Mitchell).
    /// </summary>
    public static InkMask FromMnist(ReadOnlySpan<byte> digit, PhotoParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (digit.Length != DigitImage.Pixels)
            throw new ArgumentException($"must be one 28×28 image ({DigitImage.Pixels} bytes), has {digit.Length}", nameof(digit));
        var box = InkBox(digit);
        double scale = parameters.DigitHeight / MnistBox;
        using var image = SKImage.FromPixelCopy(new SKImageInfo(DigitImage.Side, DigitImage.Side, SKColorType.Gray8, SKAlphaType.Opaque), digit);
        return Draw(parameters, box, scale, (canvas, matrix) =>
        {
            canvas.SetMatrix(matrix);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKCubicResampler.Mitchell));
        });
    }

    /// <summary>A glyph outline (in any units, y down) filled as ink, its longer side scaled to the digit height.</summary>
    public static InkMask FromGlyph(SKPath glyph, PhotoParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(glyph);
        ArgumentNullException.ThrowIfNull(parameters);
        var bounds = glyph.TightBounds;
        if (bounds.Width <= 0 || bounds.Height <= 0)
            throw new ArgumentException("the glyph has no outline", nameof(glyph));
        double scale = parameters.DigitHeight / Math.Max(bounds.Width, bounds.Height);
        using var paint = new SKPaint { IsAntialias = true, Color = SKColors.White, Style = SKPaintStyle.Fill };
        return Draw(parameters, bounds, scale, (canvas, matrix) =>
        {
            canvas.SetMatrix(matrix);
            canvas.DrawPath(glyph, paint);
        });
    }

    /// <summary>
    /// Draws the ink white on black on a picture-sized canvas with the transform that scales <paramref name="bounds"/>
    /// by <paramref name="scale"/>, rotates it about its centre and places that centre where
    /// <see cref="PhotoParameters.PlaceX"/>/<see cref="PhotoParameters.PlaceY"/> say within the room the rotated,
    /// thickened ink leaves; then changes the pen.
    /// </summary>
    private static InkMask Draw(PhotoParameters p, SKRect bounds, double scale, Action<SKCanvas, SKMatrix> draw)
    {
        int width = p.CanvasWidth, height = p.CanvasHeight;
        double angle = p.RotationDegrees * Math.PI / 180;
        double w = bounds.Width * scale, h = bounds.Height * scale;
        double extentX = Math.Abs(w * Math.Cos(angle)) + Math.Abs(h * Math.Sin(angle));
        double extentY = Math.Abs(w * Math.Sin(angle)) + Math.Abs(h * Math.Cos(angle));
        // Keep the thickened, blurred ink off the picture's edge, so the digit is always whole.
        double margin = Math.Max(0, p.PenChange) + 3 * p.BlurSigma + 2;
        double centreX = Place(width, extentX, margin, p.PlaceX), centreY = Place(height, extentY, margin, p.PlaceY);

        var matrix = SKMatrix.CreateTranslation(-bounds.MidX, -bounds.MidY)
            .PostConcat(SKMatrix.CreateScale((float)scale, (float)scale))
            .PostConcat(SKMatrix.CreateRotationDegrees((float)p.RotationDegrees))
            .PostConcat(SKMatrix.CreateTranslation((float)centreX, (float)centreY));
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Black);
            draw(canvas, matrix);
        }
        var rgba = bitmap.GetPixelSpan();
        var coverage = new byte[width * height];
        for (int i = 0; i < coverage.Length; i++)
            coverage[i] = rgba[4 * i];
        var mask = new InkMask(width, height, coverage);
        mask.ChangePen(p.PenChange);
        return mask;
    }

    /// <summary>The centre, in px, of something <paramref name="extent"/> px long placed at <paramref name="place"/>
    /// (0–1) of the room a side of <paramref name="side"/> px leaves it; centred when there is no room.</summary>
    private static double Place(int side, double extent, double margin, double place)
    {
        double room = side - extent - 2 * margin;
        return room <= 0 ? side / 2.0 : margin + extent / 2 + place * room;
    }

    /// <summary>The bounding box of the nonzero pixels of a 28×28 image, in pixel-edge coordinates.</summary>
    private static SKRect InkBox(ReadOnlySpan<byte> digit)
    {
        int side = DigitImage.Side, left = side, top = side, right = -1, bottom = -1;
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                if (digit[y * side + x] == 0)
                    continue;
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
            }
        }
        return right < 0 ? new SKRect(0, 0, side, side) : new SKRect(left, top, right + 1, bottom + 1);
    }

    /// <summary>
    /// Thickens (<paramref name="radius"/> &gt; 0, a dilation: the largest coverage within a disc of that radius) or
    /// thins (&lt; 0, an erosion: the smallest) every stroke by |radius| px on each side. A disc rather than a square
    /// keeps diagonal strokes as thick as straight ones, as a round pen tip would. Only the rows and columns near ink
    /// are visited.
    /// </summary>
    internal void ChangePen(int radius)
    {
        if (radius == 0)
            return;
        int r = Math.Abs(radius);
        bool dilate = radius > 0;
        var (x0, y0, x1, y1) = InkBounds();
        if (x1 < x0)
            return;
        x0 = Math.Max(0, x0 - r);
        y0 = Math.Max(0, y0 - r);
        x1 = Math.Min(Width - 1, x1 + r);
        y1 = Math.Min(Height - 1, y1 + r);
        var source = (byte[])Coverage.Clone();
        var halfWidths = new int[2 * r + 1];
        for (int dy = -r; dy <= r; dy++)
            halfWidths[dy + r] = (int)Math.Floor(Math.Sqrt(r * r - dy * dy + 1e-9));
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                int best = dilate ? 0 : 255;
                for (int dy = -r; dy <= r; dy++)
                {
                    int yy = y + dy;
                    int half = halfWidths[dy + r];
                    if (yy < 0 || yy >= Height)
                    {
                        // Outside the picture is bare paper: it ends an erosion, and adds nothing to a dilation.
                        if (!dilate)
                            best = 0;
                        continue;
                    }
                    int from = x - half, to = x + half;
                    if (!dilate && (from < 0 || to >= Width))
                        best = 0;
                    var row = source.AsSpan(yy * Width + Math.Max(0, from), Math.Min(Width - 1, to) - Math.Max(0, from) + 1);
                    best = dilate ? Math.Max(best, TensorPrimitives.Max<byte>(row))
                        : Math.Min(best, TensorPrimitives.Min<byte>(row));
                }
                Coverage[y * Width + x] = (byte)best;
            }
        }
    }

    /// <summary>The smallest rectangle holding every pixel with any ink, inclusive; empty (x1 &lt; x0) for none.</summary>
    private (int X0, int Y0, int X1, int Y1) InkBounds()
    {
        int x0 = Width, y0 = Height, x1 = -1, y1 = -1;
        for (int y = 0; y < Height; y++)
        {
            var row = Coverage.AsSpan(y * Width, Width);
            int first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
                continue;
            int last = row.LastIndexOfAnyExcept((byte)0);
            x0 = Math.Min(x0, first);
            x1 = Math.Max(x1, last);
            y0 = Math.Min(y0, y);
            y1 = y;
        }
        return (x0, y0, x1, y1);
    }
}
