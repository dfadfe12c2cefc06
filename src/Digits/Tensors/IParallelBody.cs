namespace Digits.Tensors;

/// <summary>
/// One unit of work for <see cref="WorkerPool.For{TBody}(int, TBody)"/>. A struct implementing this is
/// passed by value and read by every worker through a pointer, so it should hold only pointers, sizes and
/// other plain values (no spans: they cannot cross threads).
/// </summary>
public interface IParallelBody
{
    /// <summary>Runs work item <paramref name="index"/> (0-based). Called exactly once per index, on any thread.</summary>
    void Run(int index);
}
