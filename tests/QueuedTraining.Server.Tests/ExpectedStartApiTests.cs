using System.Net;
using System.Net.Http.Json;
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

    [Fact]
    public async Task PostWhatIf_HigherPriorityThanTheRunner_NamesItsVictimAndStoresNothing()
    {
        await _service.SubmitAsync(Request("runner", 1, maxRuntimeSeconds: 3_600));
        await _service.WaitForStateAsync("runner", JobState.Running);

        var urgent = await WhatIfAsync(Request("urgent", 5, maxRuntimeSeconds: 600));

        Assert.True(HttpStatusCode.OK == urgent.Status, urgent.Body);
        Assert.Equal(["runner"], urgent.Answer!.Preempts);
        Assert.Equal(1, urgent.Answer.QueuePosition);
        Assert.Null(await _service.GetJobAsync("urgent"));
        Assert.Equal(["runner"], (await _service.ListAsync()).Items.Select(j => j.Name));
    }

    [Fact]
    public async Task PostWhatIf_BehindAWaitingJob_AnswersItsPlaceAndLatestWithoutPreempting()
    {
        await _service.SubmitAsync(Request("runner", 9, maxRuntimeSeconds: 3_600));
        var runner = await _service.WaitForStateAsync("runner", JobState.Running);
        await _service.SubmitAsync(Request("first", 5, maxRuntimeSeconds: 7_200));

        var answer = (await WhatIfAsync(Request("maybe", 5, maxRuntimeSeconds: 600))).Answer!;

        Assert.Equal(2, answer.QueuePosition);
        Assert.Empty(answer.Preempts);
        Assert.Equal(runner.Attempts[^1].StartedAt.AddHours(3), answer.ExpectedStart!.Latest);
    }

    [Fact]
    public async Task PostWhatIf_InvalidRequest_Returns400AsASubmissionWould()
    {
        var request = Request("bad", 1, maxRuntimeSeconds: 600);
        request.StoppingCondition!.MaxRuntimeInSeconds = null;

        var (status, _, _) = await WhatIfAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    private async Task<(HttpStatusCode Status, WhatIfResource? Answer, string Body)> WhatIfAsync(CreateTrainingJobRequest request)
    {
        var response = await _service.Client.PostAsJsonAsync("/v1/what-if", request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        return (response.StatusCode, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(QueueJsonContext.Default.WhatIfResource) : null, await response.Content.ReadAsStringAsync());
    }

    private static CreateTrainingJobRequest Request(string name, int priority, int maxRuntimeSeconds)
    {
        var request = TestJobs.Request(name, priority, TestJobs.G5);
        request.StoppingCondition!.MaxRuntimeInSeconds = maxRuntimeSeconds;
        return request;
    }
}
