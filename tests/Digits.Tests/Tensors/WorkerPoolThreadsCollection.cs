namespace Digits.Tests.Tensors;

/// <summary>
/// Test classes that set the process-wide <c>WorkerPool.Threads</c> to take a path that depends on it run one at a
/// time, so that one does not restore a stale count while another is using its own. (Trainers in other classes also
/// set it for the length of a fit; results never depend on it, so at worst a test takes the one-thread path.)
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkerPoolThreadsCollection
{
    public const string Name = "WorkerPool.Threads";
}
