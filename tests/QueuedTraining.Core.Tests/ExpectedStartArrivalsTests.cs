using Microsoft.Extensions.DependencyInjection;
using QueuedTraining.Core.Queries;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>A job's <c>latest</c>, as the queue answers it, allows for the higher-priority work it has seen arriving.</summary>
public sealed class ExpectedStartArrivalsTests
{
    [Fact]
    public async Task GetAsync_HigherPriorityWorkArrivedOverTheWindow_WidensOnlyTheOutrankedJobsLatest()
    {
        await using var harness = new SchedulerHarness(new Dictionary<string, int> { [TestJobs.P5] = 1 });
        harness.Options.ForecastArrivalWindow = TimeSpan.FromHours(1);
        await harness.SubmitAsync("runner", priority: 9, seconds: 7_200);
        await harness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromHours(1));
        await harness.SubmitAsync("urgent", priority: 9);
        await harness.SubmitAsync("low", priority: 1);
        var queries = harness.Services.GetRequiredService<JobQueries>();

        var urgent = (await queries.GetAsync("urgent", SchedulerHarness.Alice))!.ExpectedStart!;
        var low = (await queries.GetAsync("low", SchedulerHarness.Alice))!.ExpectedStart!;

        // Nothing learned yet: urgent is expected to take half its one-day bound, 12 instance-hours within the last hour,
        // ρ = 12 on one instance, so low waits the window's arrivals longer: 12 h on top of urgent's full day.
        Assert.DoesNotContain("latest allows", urgent.Basis, StringComparison.Ordinal);
        Assert.EndsWith("latest allows for higher-priority work arriving at 12 instance-hours per hour, as over the last 1 h 00", low.Basis, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(24 + 12), low.Latest - urgent.Latest);
        Assert.Equal(TimeSpan.FromHours(12), low.Likely - urgent.Likely);
    }
}
