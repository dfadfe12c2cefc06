namespace Digits.Tests.Neural;

/// <summary>8×8 images of a few classes: each class is a fixed random pattern, shifted by up to one pixel, plus noise.</summary>
internal static class SyntheticPatterns
{
    public static (float[] Images, int[] Labels) Make(int count, int classes, ulong seed)
    {
        var rng = new Rng(seed);
        float[][] patterns = new float[classes][];
        for (int c = 0; c < classes; c++)
        {
            patterns[c] = new float[100];
            for (int i = 0; i < 100; i++)
            {
                patterns[c][i] = rng.NextFloat() < 0.4f ? 1f : 0f;
            }
        }
        float[] images = new float[count * 64];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int label = n % classes;
            labels[n] = label;
            int dy = rng.NextInt(3), dx = rng.NextInt(3);
            for (int y = 0; y < 8; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    images[n * 64 + y * 8 + x] = patterns[label][(y + dy) * 10 + x + dx] + 0.3f * (float)rng.NextGaussian();
                }
            }
        }
        return (images, labels);
    }
}
