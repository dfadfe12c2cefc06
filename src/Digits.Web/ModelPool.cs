using System.Collections.Concurrent;

namespace Digits.Web;

/// <summary>
/// One <see cref="DigitModel"/> replica per core, handed to one request at a time: a loaded model runs one forward
/// pass at a time (its buffers are reused), so concurrent requests would queue behind one core. With a replica each,
/// as many forward passes run side by side as there are cores, each on its request's own thread; a request that finds
/// them all busy waits without holding a thread.
/// </summary>
public sealed class ModelPool
{
    private readonly ConcurrentBag<DigitModel> idle = [];
    private readonly SemaphoreSlim available;

    /// <param name="model">The model; the pool adds <paramref name="size"/> − 1 replicas of it.</param>
    /// <param name="size">How many forward passes may run at once (the number of cores).</param>
    public ModelPool(DigitModel model, int size)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Model = model;
        idle.Add(model);
        for (int i = 1; i < size; i++)
            idle.Add(model.Replica());
        available = new SemaphoreSlim(size, size);
        Size = size;
    }

    /// <summary>The model as loaded: its name and metadata are every replica's.</summary>
    public DigitModel Model { get; }

    public int Size { get; }

    /// <summary>Runs <paramref name="work"/> with a replica no other request is using.</summary>
    public async Task<T> RunAsync<T>(Func<DigitModel, T> work, CancellationToken cancellationToken)
    {
        await available.WaitAsync(cancellationToken);
        if (!idle.TryTake(out var model))
            throw new InvalidOperationException("the pool's count and its replicas disagree");
        try
        {
            return work(model);
        }
        finally
        {
            idle.Add(model);
            available.Release();
        }
    }
}
