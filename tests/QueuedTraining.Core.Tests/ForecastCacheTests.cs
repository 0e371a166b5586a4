using QueuedTraining.Core.Forecasting;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>A pool's forecast is computed once per change and shared by the reads until the next.</summary>
public sealed class ForecastCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GetAsync_SameChangeWithinMaxAge_ComputesOnce()
    {
        var cache = new ForecastCache();
        var computed = 0;

        var first = await cache.GetAsync("pool", 7, Now, MaxAge, Compute(() => computed++));
        var second = await cache.GetAsync("pool", 7, Now + TimeSpan.FromSeconds(29), MaxAge, Compute(() => computed++));

        Assert.Equal(1, computed);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task GetAsync_AfterAChange_ComputesAgain()
    {
        var cache = new ForecastCache();
        var computed = 0;

        await cache.GetAsync("pool", 7, Now, MaxAge, Compute(() => computed++));
        await cache.GetAsync("pool", 8, Now, MaxAge, Compute(() => computed++));

        Assert.Equal(2, computed);
    }

    [Fact]
    public async Task GetAsync_OlderThanMaxAge_ComputesAgain()
    {
        var cache = new ForecastCache();
        var computed = 0;

        await cache.GetAsync("pool", 7, Now, MaxAge, Compute(() => computed++));
        await cache.GetAsync("pool", 7, Now + MaxAge, MaxAge, Compute(() => computed++));

        Assert.Equal(2, computed);
    }

    [Fact]
    public async Task GetAsync_OtherPool_ComputesItsOwn()
    {
        var cache = new ForecastCache();
        var computed = 0;

        await cache.GetAsync("a", 7, Now, MaxAge, Compute(() => computed++));
        await cache.GetAsync("b", 7, Now, MaxAge, Compute(() => computed++));

        Assert.Equal(2, computed);
    }

    [Fact]
    public async Task GetAsync_ComputationFailed_ComputesAgainAtTheNextRead()
    {
        var cache = new ForecastCache();

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync("pool", 7, Now, MaxAge, () => throw new InvalidOperationException("store down")));
        var forecast = await cache.GetAsync("pool", 7, Now, MaxAge, Compute(() => { }));

        Assert.Empty(forecast);
    }

    private static Func<Task<IReadOnlyDictionary<string, ExpectedStart>>> Compute(Action counted) => () =>
    {
        counted();
        return Task.FromResult<IReadOnlyDictionary<string, ExpectedStart>>(new Dictionary<string, ExpectedStart>());
    };
}
