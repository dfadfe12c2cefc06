using System.Runtime.CompilerServices;

namespace Digits.Tensors;

/// <summary>
/// A persistent pool of worker threads for the numeric kernels. Threads are created once, on first need, and
/// park on a semaphore between jobs, so a parallel loop costs a wake-up and no allocation, unlike
/// <c>Parallel.For</c>, which allocates tasks and closures on every call.
/// </summary>
/// <remarks>
/// Work items are handed out dynamically (an atomic counter), so callers that need bit-identical results for
/// any thread count must make each item's arithmetic independent of which thread runs it, as
/// <see cref="Gemm"/> does by partitioning only over output tiles. One job runs at a time: a call made while
/// the pool is busy, or from inside a work item, runs its items inline on the calling thread.
/// </remarks>
public static unsafe class WorkerPool
{
    private static int threads = Environment.ProcessorCount;

    private static readonly Lock JobGate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static readonly ManualResetEventSlim AllWorkersDone = new(false, spinCount: 2000);
    private static int startedWorkers;

    private static delegate*<void*, int, void> jobRun;
    private static void* jobBody;
    private static int jobCount;
    private static int nextIndex;
    private static int workersStillRunning;
    private static Exception? firstFailure;

    [ThreadStatic] private static bool isPoolThread;

    /// <summary>
    /// The most threads one parallel loop uses, counting the caller. Defaults to
    /// <see cref="Environment.ProcessorCount"/>; set 1 to run everything on the calling thread.
    /// </summary>
    public static int Threads
    {
        get => threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(value));
            threads = value;
        }
    }

    /// <summary>
    /// Runs <c>body.Run(i)</c> for every i in [0, <paramref name="count"/>) on up to <see cref="Threads"/>
    /// threads (the caller is one of them) and returns when all are done. The first exception thrown by a
    /// work item is rethrown here after every thread has stopped.
    /// </summary>
    /// <remarks>
    /// <see cref="Lock"/> is re-entrant, so a nested call from a work item that the calling thread itself runs
    /// would pass <c>TryEnter</c> and overwrite the running job: <c>IsHeldByCurrentThread</c> sends it inline.
    /// </remarks>
    public static void For<TBody>(int count, TBody body) where TBody : struct, IParallelBody
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int helpers = Math.Min(threads, count) - 1;
        if (helpers <= 0 || isPoolThread || JobGate.IsHeldByCurrentThread || !JobGate.TryEnter())
        {
            for (int i = 0; i < count; i++)
            {
                body.Run(i);
            }
            return;
        }

        try
        {
            StartWorkers(helpers);
            jobRun = &RunItem<TBody>;
            jobBody = Unsafe.AsPointer(ref body);
            jobCount = count;
            nextIndex = 0;
            firstFailure = null;
            workersStillRunning = helpers;
            AllWorkersDone.Reset();
            Wake.Release(helpers);
            try
            {
                RunItemsUntilNoneLeft();
            }
            finally
            {
                AllWorkersDone.Wait();
                jobBody = null;
            }
            if (firstFailure is { } failure)
            {
                firstFailure = null;
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            JobGate.Exit();
        }
    }

    private static void RunItem<TBody>(void* body, int index) where TBody : struct, IParallelBody =>
        Unsafe.AsRef<TBody>(body).Run(index);

    private static void RunItemsUntilNoneLeft()
    {
        int index;
        while ((index = Interlocked.Increment(ref nextIndex) - 1) < jobCount)
        {
            jobRun(jobBody, index);
        }
    }

    private static void StartWorkers(int wanted)
    {
        while (startedWorkers < wanted)
        {
            var thread = new Thread(WorkerLoop)
            {
                IsBackground = true,
                Name = $"Digits worker {startedWorkers + 1}",
            };
            thread.Start();
            startedWorkers++;
        }
    }

    private static void WorkerLoop()
    {
        isPoolThread = true;
        while (true)
        {
            Wake.Wait();
            try
            {
                RunItemsUntilNoneLeft();
            }
            catch (Exception failure)
            {
                Interlocked.CompareExchange(ref firstFailure, failure, null);
                Interlocked.Exchange(ref nextIndex, int.MaxValue / 2);
            }
            if (Interlocked.Decrement(ref workersStillRunning) == 0)
            {
                AllWorkersDone.Set();
            }
        }
    }
}
