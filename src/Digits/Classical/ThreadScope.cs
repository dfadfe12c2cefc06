using Digits.Tensors;

namespace Digits.Classical;

/// <summary>
/// Sets <see cref="WorkerPool.Threads"/> for the duration of a fit and restores it afterwards. The pool's setting is
/// process-wide, so two fits with different thread counts at the same time see whichever was set last; results do
/// not depend on it, only speed does.
/// </summary>
internal readonly struct ThreadScope : IDisposable
{
    private readonly int saved;

    /// <param name="threads">The thread count wanted; null keeps the pool's setting.</param>
    public ThreadScope(int? threads)
    {
        saved = WorkerPool.Threads;
        WorkerPool.Threads = threads ?? saved;
    }

    public void Dispose() => WorkerPool.Threads = saved;
}
