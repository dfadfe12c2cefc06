namespace Digits.Neural;

/// <summary>
/// The shape of one sample (the batch dimension left out): an image (channels, height, width), or, with
/// <see cref="Rank"/> 1, a flat vector of <see cref="Channels"/> features (height and width 1).
/// </summary>
public readonly record struct SampleShape(int Channels, int Height, int Width, int Rank = 3)
{
    /// <summary>A flat vector of <paramref name="features"/> values, as after Flatten or Linear.</summary>
    public static SampleShape Flat(int features) => new(features, 1, 1, 1);

    /// <summary>Floats in one sample.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>The dimensions, as PyTorch prints them without the batch: [C, H, W] or [F].</summary>
    public int[] Dimensions => Rank == 1 ? [Channels] : [Channels, Height, Width];

    public override string ToString() => Rank == 1 ? $"[{Channels}]" : $"[{Channels}, {Height}, {Width}]";
}
