namespace Digits.Classical;

/// <summary>
/// Images as sparse feature vectors (compressed sparse rows): the nonzero pixels of each image, by index, with
/// values pixel / 255. An MNIST digit has about 150 inked pixels of 784, so a coordinate-descent step, one dot
/// product and one axpy with a single sample, costs a fifth of its dense form and reads a fifth of the memory.
/// </summary>
internal sealed unsafe class SparsePixels
{
    /// <summary>Builds from <paramref name="count"/> images of <see cref="PixelFeatures.Count"/> bytes.</summary>
    public SparsePixels(ReadOnlySpan<byte> pixels, int count)
    {
        const int d = PixelFeatures.Count;
        int nonzeros = 0;
        foreach (byte p in pixels[..(count * d)])
        {
            if (p != 0)
                nonzeros++;
        }
        Offsets = new int[count + 1];
        Indices = new ushort[nonzeros];
        Values = new float[nonzeros];
        SquaredNorms = new float[count];
        int k = 0;
        for (int i = 0; i < count; i++)
        {
            Offsets[i] = k;
            double norm = 0;
            ReadOnlySpan<byte> image = pixels.Slice(i * d, d);
            for (int j = 0; j < d; j++)
            {
                if (image[j] == 0)
                    continue;
                float value = image[j] / 255f;
                Indices[k] = (ushort)j;
                Values[k++] = value;
                norm += (double)value * value;
            }
            SquaredNorms[i] = (float)norm;
        }
        Offsets[count] = k;
    }

    /// <summary>Image i's entries are at [Offsets[i], Offsets[i + 1]).</summary>
    public int[] Offsets { get; }

    public ushort[] Indices { get; }

    public float[] Values { get; }

    /// <summary>‖xᵢ‖² for each image.</summary>
    public float[] SquaredNorms { get; }

    public int Count => SquaredNorms.Length;

    /// <summary>w·xᵢ, summed in two lanes for instruction-level parallelism.</summary>
    public float Dot(int i, ReadOnlySpan<float> w)
    {
        int start = Offsets[i], end = Offsets[i + 1];
        fixed (ushort* indices = Indices)
        fixed (float* values = Values, weights = w)
        {
            float even = 0, odd = 0;
            int k = start;
            for (; k + 1 < end; k += 2)
            {
                even += weights[indices[k]] * values[k];
                odd += weights[indices[k + 1]] * values[k + 1];
            }
            if (k < end)
                even += weights[indices[k]] * values[k];
            return even + odd;
        }
    }

    /// <summary>w += scale · xᵢ.</summary>
    public void AddTo(int i, float scale, Span<float> w)
    {
        int start = Offsets[i], end = Offsets[i + 1];
        fixed (ushort* indices = Indices)
        fixed (float* values = Values, weights = w)
        {
            for (int k = start; k < end; k++)
                weights[indices[k]] += scale * values[k];
        }
    }
}
