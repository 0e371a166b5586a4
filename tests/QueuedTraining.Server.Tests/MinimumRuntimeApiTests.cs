using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using QueuedTraining.Testing.Server;
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
        Assert.Equal("WaitingForMinimumRuntime", high.ReasonCode);
        Assert.Equal(5, high.EffectivePriority);
        Assert.Null(low.PreemptionsLeft);
        Assert.Equal(JobState.Running, (await service.GetJobAsync("low"))!.State);
    }

    [Fact]
    public async Task GetJob_AgingConfiguredAndPreemptionDone_ShowsEffectivePriorityReasonCodeAndWorkLost()
    {
        await using var service = await RunningQueueService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["QueuedTraining:AgingByPool:" + TestJobs.G5] = "1000000",
            ["QueuedTraining:AgingMaxBoost"] = "7",
        });
        await service.SubmitAsync(TestJobs.Request("low", 1, TestJobs.G5, simSeconds: 3600));
        await service.WaitForStateAsync("low", JobState.Running);
        await service.SubmitAsync(TestJobs.Request("high", 50, TestJobs.G5, simSeconds: 3600));
        await service.WaitForStateAsync("low", JobState.Preempted);

        // Read it once high runs: until the next pass starts high, high waits ahead of it and its reason is BehindInQueue.
        await service.WaitForStateAsync("high", JobState.Running);

        // A million per hour reaches the cap of 7 within 30 ms of waiting, counted from when the preemption stopped it.
        TrainingJobResource? preempted = null;
        await Polling.UntilAsync(async () => (preempted = await service.GetJobAsync("low"))?.EffectivePriority == 8, "low to age to its cap");
        Assert.NotNull(preempted);
        Assert.Equal(1, preempted.Priority);
        Assert.Equal(8, preempted.EffectivePriority);
        Assert.Equal("CapacityInUse", preempted.ReasonCode);
        Assert.StartsWith("[CapacityInUse] ", QueuedJobSageMakerView.StatusMessage(preempted)[(QueuedJobSageMakerView.StatusMessage(preempted).IndexOf(": ", StringComparison.Ordinal) + 2)..], StringComparison.Ordinal);
        var attempt = preempted.Attempts[0];
        Assert.NotNull(attempt.WorkLostInstanceSeconds);
        Assert.True(attempt.WorkLostInstanceSeconds >= 0);
        Assert.Equal(attempt.WorkLostInstanceSeconds.Value, preempted.WorkLostInstanceSeconds);
    }
}
