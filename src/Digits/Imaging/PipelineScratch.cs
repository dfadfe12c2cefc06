namespace Digits.Imaging;

/// <summary>
/// The buffers one thread's input pipeline (<see cref="ImageDecoder"/>, <see cref="InkExtraction"/>,
/// <see cref="InkMarks"/>, <see cref="MnistNormalizer"/>) works in. Each grows to the largest picture the thread has
/// seen and is then reused, so that reading a stream of pictures of similar size allocates nothing. Results that
/// point into these buffers (<see cref="InkExtraction.Ink.Pixels"/>) are valid until the thread's next call.
/// </summary>
internal sealed class PipelineScratch
{
    [ThreadStatic]
    private static PipelineScratch? current;

    /// <summary>This thread's buffers.</summary>
    public static PipelineScratch ForThisThread => current ??= new PipelineScratch();

    /// <summary>An encoded file's bytes.</summary>
    public byte[] File = [];

    /// <summary>Decoded pixels as the codec gives them (RGBA).</summary>
    public byte[] Rgba = [];

    /// <summary>The decoded picture in gray, upright.</summary>
    public byte[] Gray = [];

    /// <summary>Column sums of one block row while box-averaging.</summary>
    public int[] ColumnSums = [];

    /// <summary>The working image (box-averaged, polarity fixed, paper flattened).</summary>
    public float[] Work = [];

    /// <summary>Ink strength per working pixel.</summary>
    public float[] Ink = [];

    /// <summary>Connected-component labels per working pixel.</summary>
    public int[] Labels = [];

    /// <summary>Flood-fill stack.</summary>
    public int[] Stack = [];

    /// <summary>Area of each component, by label (label 0 unused).</summary>
    public readonly List<int> Areas = [];

    /// <summary>Masks over the working image.</summary>
    public bool[] Keep = [], Strokes = [], Grown = [], Dilated = [], Seen = [];

    /// <summary>The marks <see cref="InkMarks.Measure"/> found.</summary>
    public readonly List<InkMarks.Mark> Marks = [];

    /// <summary>The 28×28 field being resampled, and the resampling's intermediate rows and weights.</summary>
    public readonly float[] Field = new float[DigitImage.Pixels];
    public float[] Rows = [], WeightsX = [], WeightsY = [];

    /// <summary>The paper fit's per-column terms (u, then u²).</summary>
    public float[] Columns = [];
    public int[] SpanX = [], SpanY = [];

    /// <summary><paramref name="buffer"/>, replaced by a larger one when it holds fewer than <paramref name="length"/> items.</summary>
    public static T[] Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<T>(Math.Max(length, buffer.Length + buffer.Length / 2));
        }
        return buffer;
    }
}
