using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Hosting;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Finished jobs stay for the retention after they end, counted from their end, and then go.</summary>
public sealed class FinishedJobSweeperTests : IAsyncDisposable
{
    private readonly SchedulerHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task SweepOnce_AfterRetention_RemovesJobsThatEndedAndKeepsTheRest()
    {
        _harness.Options.FinishedJobRetention = TimeSpan.FromDays(7);
        await _harness.SubmitAsync("short", priority: 5, seconds: 60);
        await _harness.SubmitAsync("long", priority: 5, seconds: 3 * 24 * 3600);
        await _harness.SettleAsync();
        await _harness.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(JobState.Completed, await _harness.StateOf("short"));
        var ended = (await _harness.Get("short")).EndedAt;
        Assert.NotNull(ended);

        var sweeper = _harness.Services.GetRequiredService<FinishedJobSweeper>();
        _harness.Time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await sweeper.SweepOnceAsync());

        _harness.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await sweeper.SweepOnceAsync());
        Assert.Null(await _harness.Store.GetAsync("short"));
        Assert.Equal(JobState.Running, (await _harness.Store.GetAsync("long"))!.State);
    }
}
