using Microsoft.Extensions.Time.Testing;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>The arrivals a pool has seen, learned as they happen, and the rates they give.</summary>
public sealed class ArrivalHistoryTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(2);
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider _time = new(TestJobs.Epoch);

    private ArrivalHistory History() =>
        new(new StaticOptionsMonitor(new QueueOptions { Capacity = { [TestJobs.P5] = 4 }, ForecastArrivalWindow = Window }), _time);

    [Fact]
    public void RatesFor_BeforeAWholeWindowWasWatched_IsNull()
    {
        var history = History();
        history.Record(TestJobs.Job("urgent-1", priority: 9, enqueuedAt: TestJobs.Epoch));
        _time.Advance(Window - TimeSpan.FromMinutes(1));

        Assert.Null(history.RatesFor(TestJobs.P5, _time.GetUtcNow(), (_, _) => OneHour));
    }

    [Fact]
    public void RatesFor_ArrivalsInTheWindow_AreWorkOverTheWindow()
    {
        var history = History();
        _time.Advance(Window);
        history.Record(TestJobs.Job("urgent-1", priority: 9, instanceCount: 2, enqueuedAt: _time.GetUtcNow()));
        history.Record(TestJobs.Job("urgent-2", priority: 9, instanceCount: 2, enqueuedAt: _time.GetUtcNow()));

        var rates = history.RatesFor(TestJobs.P5, _time.GetUtcNow(), (_, _) => OneHour);

        // 2 jobs × 2 instances × 1 h over a 2 h window: 2 instances' worth of work, ahead of anything below 9.
        Assert.NotNull(rates);
        Assert.Equal(2.0, rates.Above(0), 9);
        Assert.Equal(0.0, rates.Above(9), 9);
    }

    [Fact]
    public void Record_SameJobAgainOrAnotherPool_CountsOncePerPool()
    {
        var history = History();
        _time.Advance(Window);
        var job = TestJobs.Job("urgent-1", priority: 9, enqueuedAt: _time.GetUtcNow());
        history.Record(job);
        history.Record([job, job]);
        history.Record(TestJobs.Job("other-1", priority: 9, instanceType: "ml.g5.xlarge", enqueuedAt: _time.GetUtcNow()));

        Assert.Equal(0.5, history.RatesFor(TestJobs.P5, _time.GetUtcNow(), (_, _) => OneHour)!.Above(0), 9);
    }

    [Fact]
    public void RatesFor_ArrivalOlderThanTheWindow_IsForgotten()
    {
        var history = History();
        _time.Advance(Window);
        history.Record(TestJobs.Job("urgent-1", priority: 9, enqueuedAt: _time.GetUtcNow()));
        _time.Advance(Window + TimeSpan.FromMinutes(1));
        history.Record(TestJobs.Job("late-seen", priority: 9, enqueuedAt: TestJobs.Epoch));

        Assert.Equal(0.0, history.RatesFor(TestJobs.P5, _time.GetUtcNow(), (_, _) => OneHour)!.Above(0), 9);
    }
}
