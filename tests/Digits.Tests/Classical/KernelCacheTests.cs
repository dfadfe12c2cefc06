using Digits.Classical;

namespace Digits.Tests.Classical;

public class KernelCacheTests
{
    [Fact]
    public void Byte_bound_sets_the_capacity_and_never_drops_below_two_rows()
    {
        Assert.Equal(3, new KernelCache(rowCount: 100, rowLength: 10, maxBytes: 3 * 10 * sizeof(float) + 39).Capacity);
        Assert.Equal(2, new KernelCache(rowCount: 100, rowLength: 10, maxBytes: 0).Capacity);
        Assert.Equal(5, new KernelCache(rowCount: 5, rowLength: 10, maxBytes: 1 << 20).Capacity);
        Assert.Equal(1, new KernelCache(rowCount: 1, rowLength: 10, maxBytes: 0).Capacity);
    }

    [Fact]
    public void Least_recently_used_row_is_evicted_and_survivors_keep_their_values()
    {
        var cache = new KernelCache(rowCount: 10, rowLength: 4, maxBytes: 3 * 4 * sizeof(float));
        for (int i = 0; i < 3; i++)
            cache.Insert(i).AsSpan().Fill(i);

        Assert.True(cache.TryGet(0, out _));
        cache.Insert(7).AsSpan().Fill(7);

        Assert.False(cache.Contains(1));
        Assert.True(cache.TryGet(0, out float[] row0));
        Assert.True(cache.TryGet(2, out float[] row2));
        Assert.True(cache.TryGet(7, out float[] row7));
        Assert.Equal([0f, 0f, 0f, 0f], row0);
        Assert.Equal([2f, 2f, 2f, 2f], row2);
        Assert.Equal([7f, 7f, 7f, 7f], row7);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Hits_and_misses_are_counted()
    {
        var cache = new KernelCache(rowCount: 4, rowLength: 2, maxBytes: 1 << 10);
        Assert.False(cache.TryGet(1, out _));
        cache.Insert(1);
        Assert.True(cache.TryGet(1, out _));
        Assert.True(cache.TryGet(1, out _));
        Assert.True(cache.Contains(1));

        Assert.Equal(2, cache.Hits);
        Assert.Equal(1, cache.Misses);
    }

    [Fact]
    public void Inserting_a_cached_row_twice_is_refused()
    {
        var cache = new KernelCache(rowCount: 4, rowLength: 2, maxBytes: 1 << 10);
        cache.Insert(3);

        Assert.Throws<InvalidOperationException>(() => cache.Insert(3));
    }

    [Fact]
    public void Signed_matrix_rows_under_a_tiny_cache_equal_the_naive_kernel_times_the_labels()
    {
        var (features, labels) = SvmProblems.Noisy(40, seed: 2);
        var kernel = new RbfKernel(1.5);
        var q = new SignedKernelMatrix(kernel, features, 2, labels, cacheBytes: 3 * 40 * sizeof(float), parallel: false);

        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < 40; i += 3)
            {
                q.ComputeRows([i, (i + 5) % 40]);
                var row = q.Row(i);
                for (int j = 0; j < 40; j++)
                {
                    double expected = labels[i] * labels[j] * kernel.Naive(features.AsSpan(2 * i, 2), features.AsSpan(2 * j, 2));
                    Assert.Equal(expected, row[j], 1e-5);
                }
            }
        }
        Assert.Equal(3, q.Cache.Count);
        Assert.True(q.RowsComputed > 40, "a three-row cache must recompute rows on the second pass");
    }
}
