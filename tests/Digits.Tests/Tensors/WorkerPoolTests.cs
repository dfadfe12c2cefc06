using Digits.Tensors;

namespace Digits.Tests.Tensors;

public class WorkerPoolTests
{
    private unsafe struct CountVisits(int* visits) : IParallelBody
    {
        public void Run(int index) => Interlocked.Increment(ref visits[index]);
    }

    private struct FailOnSeven : IParallelBody
    {
        public void Run(int index)
        {
            if (index == 7)
            {
                throw new InvalidOperationException("item 7");
            }
        }
    }

    [Fact]
    public unsafe void For_runs_every_index_exactly_once()
    {
        foreach (int count in new[] { 0, 1, 2, 3, 1000 })
        {
            int[] visits = new int[count];
            fixed (int* p = visits)
            {
                WorkerPool.For(count, new CountVisits(p));
            }
            Assert.All(visits, v => Assert.Equal(1, v));
        }
    }

    [Fact]
    public void For_rethrows_the_exception_of_a_failing_item()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => WorkerPool.For(100, new FailOnSeven()));
        Assert.Equal("item 7", failure.Message);
    }

    private unsafe struct NestedLoops(int* visits, int inner) : IParallelBody
    {
        public void Run(int index) => WorkerPool.For(inner, new CountVisits(visits + index * inner));
    }

    [Fact]
    public unsafe void A_loop_inside_a_work_item_runs_inline_without_disturbing_the_outer_loop()
    {
        const int outer = 64, inner = 50;
        int[] visits = new int[outer * inner];
        fixed (int* p = visits)
        {
            WorkerPool.For(outer, new NestedLoops(p, inner));
        }
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void Threads_must_be_positive()
    {
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.Threads = 0).ParamName);
    }
}
