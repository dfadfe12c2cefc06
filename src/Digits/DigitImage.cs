namespace Digits;

/// <summary>The size of the images every model takes: 28×28 bytes, white ink on black, row-major, as MNIST's.</summary>
public static class DigitImage
{
    /// <summary>Pixels per side.</summary>
    public const int Side = 28;

    /// <summary>Bytes per image.</summary>
    public const int Pixels = Side * Side;
}
