using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>The preemption options as configuration binds them, seen through the HTTP API.</summary>
public sealed class MinimumRuntimeApiTests
{
    [Fact]
    public async Task GetJob_HeadHeldBackByAPoolsMinimumRuntime_SaysSoAndUntilWhen()
    {
        await using var service = await RunningQueueService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["QueuedTraining:MinimumRuntimeByPool:" + TestJobs.G5] = "01:00:00",
            ["QueuedTraining:MaxPreemptionsPerJob"] = "0",
        });
        await service.SubmitAsync(TestJobs.Request("low", 1, TestJobs.G5));
        var low = await service.WaitForStateAsync("low", JobState.Running);

        await service.SubmitAsync(TestJobs.Request("high", 5, TestJobs.G5));
        var high = await service.GetJobAsync("high");

        var until = low.Attempts[^1].StartedAt.AddHours(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(JobState.Pending, high!.State);
        Assert.Contains("minimum runtime", high.Reason, StringComparison.Ordinal);
        Assert.Contains(until, high.Reason, StringComparison.Ordinal);
        Assert.Null(low.PreemptionsLeft);
        Assert.Equal(JobState.Running, (await service.GetJobAsync("low"))!.State);
    }
}
