using Digits.Data;
using Digits.Imaging;

namespace Digits.Neural.Training;

/// <summary>One prepared batch: the first <see cref="Count"/> images of <see cref="Inputs"/> (floats, batch-major) and of <see cref="Labels"/>.</summary>
public readonly record struct TrainingBatch(float[] Inputs, int[] Labels, int Count);

/// <summary>
/// Shuffled, optionally augmented and standardized training batches. With <c>background</c>, a producer thread
/// prepares batch b + 1 while the caller computes on batch b (double buffering: two input buffers, handed over
/// through semaphores, no allocation per batch); without it, <see cref="Next"/> prepares each batch inline.
/// </summary>
/// <remarks>
/// Both modes give identical batches: the order of epoch e is a shuffle seeded by (seed, e), and each image's
/// distortion is keyed by (seed, e, its dataset index) (see <see cref="Augmenter.SampleKey"/>), so nothing depends
/// on which thread prepares a batch or when. The caller owns the batch returned by <see cref="Next"/> until its
/// next call to <see cref="Next"/>; in between, the producer may only write the other buffer.
/// </remarks>
public sealed class TrainingBatches : IDisposable
{
    private readonly LabeledImages data;
    private readonly int[] indices, order;
    private readonly ulong seed;
    private readonly Augmenter? augmenter;
    private readonly InputStandardization? standardization;
    private readonly float[][] inputs;
    private readonly int[][] labels;
    private readonly int[] counts = new int[2];
    private readonly Thread? producer;
    private readonly SemaphoreSlim epochStarted = new(0);
    private readonly SemaphoreSlim[] free = [new(1), new(1)];
    private readonly SemaphoreSlim[] filled = [new(0), new(0)];
    private volatile bool disposed;
    private Exception? producerFailure;
    private int epoch = -1, taken, held = -1;

    /// <param name="indices">The training images, as indices into <paramref name="data"/>.</param>
    /// <param name="augmentation">Distortion of each image; null for none.</param>
    /// <param name="standardization">Applied after augmentation; null for none.</param>
    /// <param name="background">Prepare batches on a producer thread.</param>
    public TrainingBatches(LabeledImages data, ReadOnlySpan<int> indices, int batchSize, ulong seed,
        AugmentationSettings? augmentation, InputStandardization? standardization, bool background)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (indices.IsEmpty)
        {
            throw new ArgumentException("needs at least one training image", nameof(indices));
        }
        foreach (int i in indices)
        {
            if ((uint)i >= (uint)data.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"index outside 0..{data.Count - 1}");
            }
        }
        this.data = data;
        this.indices = [.. indices];
        Array.Sort(this.indices);
        order = new int[this.indices.Length];
        this.seed = seed;
        this.standardization = standardization;
        augmenter = augmentation is null ? null : new Augmenter(augmentation, data.Cols, data.Rows);
        BatchSize = batchSize;
        int buffers = background ? 2 : 1;
        inputs = new float[buffers][];
        labels = new int[buffers][];
        for (int b = 0; b < buffers; b++)
        {
            inputs[b] = new float[batchSize * data.PixelsPerImage];
            labels[b] = new int[batchSize];
        }
        if (background)
        {
            producer = new Thread(Produce) { IsBackground = true, Name = "digits-batches" };
            producer.Start();
        }
    }

    public int BatchSize { get; }

    public int SampleCount => indices.Length;

    public int BatchesPerEpoch => (indices.Length + BatchSize - 1) / BatchSize;

    /// <summary>Begins epoch <paramref name="number"/> (0-based); the previous epoch must have been read to its end.</summary>
    public void StartEpoch(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ObjectDisposedException.ThrowIf(disposed, this);
        ReleaseHeld();
        if (epoch >= 0 && taken < BatchesPerEpoch)
        {
            throw new InvalidOperationException($"epoch {epoch} has {BatchesPerEpoch - taken} batches left to read");
        }
        indices.CopyTo(order, 0);
        Rng.Derive(seed ^ 0x5348_5546_464C_45UL, (ulong)number).Shuffle(order.AsSpan());
        epoch = number;
        taken = 0;
        if (producer is not null)
        {
            epochStarted.Release();
        }
    }

    /// <summary>The epoch's next batch, or false after its last one (which may be short).</summary>
    public bool Next(out TrainingBatch batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (epoch < 0)
        {
            throw new InvalidOperationException("call StartEpoch first");
        }
        ReleaseHeld();
        if (taken == BatchesPerEpoch)
        {
            batch = default;
            return false;
        }
        int slot;
        if (producer is null)
        {
            slot = 0;
            Fill(slot, taken);
        }
        else
        {
            slot = taken & 1;
            filled[slot].Wait();
            if (producerFailure is { } failure)
            {
                throw new InvalidOperationException("preparing a training batch failed", failure);
            }
            held = slot;
        }
        taken++;
        batch = new TrainingBatch(inputs[slot], labels[slot], counts[slot]);
        return true;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        if (producer is not null)
        {
            epochStarted.Release();
            free[0].Release();
            free[1].Release();
            producer.Join();
        }
    }

    /// <summary>Hands the buffer the caller was using back to the producer.</summary>
    private void ReleaseHeld()
    {
        if (held >= 0)
        {
            free[held].Release();
            held = -1;
        }
    }

    private void Produce()
    {
        while (true)
        {
            epochStarted.Wait();
            int batches = BatchesPerEpoch;
            for (int b = 0; b < batches; b++)
            {
                int slot = b & 1;
                free[slot].Wait();
                if (disposed)
                {
                    return;
                }
                try
                {
                    Fill(slot, b);
                }
                catch (Exception failure)
                {
                    producerFailure = failure;
                    filled[slot].Release();
                    return;
                }
                filled[slot].Release();
            }
            if (disposed)
            {
                return;
            }
        }
    }

    /// <summary>Prepares batch <paramref name="batch"/> of the current epoch into buffer <paramref name="slot"/>.</summary>
    private void Fill(int slot, int batch)
    {
        int start = batch * BatchSize;
        int count = Math.Min(BatchSize, order.Length - start);
        int pixels = data.PixelsPerImage;
        float[] destination = inputs[slot];
        for (int i = 0; i < count; i++)
        {
            int index = order[start + i];
            Span<float> image = destination.AsSpan(i * pixels, pixels);
            if (augmenter is null)
            {
                Imaging.ModelInput.ToUnitFloats(data.Image(index), image);
            }
            else
            {
                augmenter.Apply(data.Image(index), image, Augmenter.SampleKey(seed, epoch, index));
            }
            labels[slot][i] = data.Labels[index];
        }
        standardization?.Apply(destination.AsSpan(0, count * pixels));
        counts[slot] = count;
    }
}
