using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>Expected starts on the job resource, from the real service over loopback.</summary>
public sealed class ExpectedStartApiTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync() => _service = await RunningQueueService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task GetJob_FullPool_LatestIsWhenEveryAttemptAheadRunsToItsMaxRuntime()
    {
        await _service.SubmitAsync(Request("runner", 9, maxRuntimeSeconds: 3_600));
        var runner = await _service.WaitForStateAsync("runner", JobState.Running);
        await _service.SubmitAsync(Request("first", 5, maxRuntimeSeconds: 7_200));
        await _service.SubmitAsync(Request("second", 1, maxRuntimeSeconds: 600));

        var first = (await _service.GetJobAsync("first"))!.ExpectedStart;
        var second = (await _service.GetJobAsync("second"))!.ExpectedStart;
        var listed = (await _service.ListAsync()).Items.ToDictionary(j => j.Name);

        var runnerEnd = runner.Attempts[^1].StartedAt.AddHours(1);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(runnerEnd, first.Latest);
        Assert.Equal(runnerEnd.AddHours(2), second.Latest);
        Assert.True(first.Earliest <= first.Likely && first.Likely <= first.Latest, $"{first.Earliest:O} {first.Likely:O} {first.Latest:O}");
        Assert.Contains("no runs of family runner or in ml.g5.xlarge yet", first.Basis, StringComparison.Ordinal);
        Assert.EndsWith("assumes no new higher-priority arrivals and no failures", second.Basis, StringComparison.Ordinal);
        Assert.Null(listed["runner"].ExpectedStart);
        Assert.Equal(second.Latest, listed["second"].ExpectedStart!.Latest);
    }

    private static CreateTrainingJobRequest Request(string name, int priority, int maxRuntimeSeconds)
    {
        var request = TestJobs.Request(name, priority, TestJobs.G5);
        request.StoppingCondition!.MaxRuntimeInSeconds = maxRuntimeSeconds;
        return request;
    }
}
