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

    [Fact]
    public async Task PostJobsDryRun_SameRequestAsWhatIf_AnswersTheSameAndStoresNothing()
    {
        await _service.SubmitAsync(Request("runner", 1, maxRuntimeSeconds: 3_600));
        var runner = await _service.WaitForStateAsync("runner", JobState.Running);

        var whatIf = await WhatIfAsync(Request("urgent", 5, maxRuntimeSeconds: 600));
        var dryRun = await WhatIfAsync(Request("urgent", 5, maxRuntimeSeconds: 600), "/v1/jobs?dryRun=true");

        Assert.True(HttpStatusCode.OK == dryRun.Status, dryRun.Body);
        Assert.Equal(whatIf.Answer!.QueuePosition, dryRun.Answer!.QueuePosition);
        Assert.Equal(whatIf.Answer.Preempts, dryRun.Answer.Preempts);
        // It would start at once, preempting the runner: "now" differs between the two calls, the answer does not.
        Assert.NotNull(whatIf.Answer.ExpectedStart);
        Assert.NotNull(dryRun.Answer.ExpectedStart);
        Assert.Equal(whatIf.Answer.Preemptions.Select(p => p.Name), dryRun.Answer.Preemptions.Select(p => p.Name));
        var preemption = Assert.Single(dryRun.Answer.Preemptions);
        Assert.Equal("runner", preemption.Name);
        Assert.True(preemption.At >= runner.Attempts[^1].StartedAt, $"{preemption.At:O}");
        Assert.Null(await _service.GetJobAsync("urgent"));
        Assert.Equal(["runner"], (await _service.ListAsync()).Items.Select(j => j.Name));
    }

    [Fact]
    public async Task PostJobsDryRun_InvalidRequest_Returns400AndStoresNothing()
    {
        var request = Request("bad", 1, maxRuntimeSeconds: 600);
        request.StoppingCondition!.MaxRuntimeInSeconds = null;

        var (status, _, _) = await WhatIfAsync(request, "/v1/jobs?dryRun=true");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Null(await _service.GetJobAsync("bad"));
    }

    private async Task<(HttpStatusCode Status, WhatIfResource? Answer, string Body)> WhatIfAsync(CreateTrainingJobRequest request, string path = "/v1/what-if")
    {
        var response = await _service.Client.PostAsJsonAsync(path, request, SageMakerJsonContext.Default.CreateTrainingJobRequest);
        return (response.StatusCode, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(QueueJsonContext.Default.WhatIfResource) : null, await response.Content.ReadAsStringAsync());
    }

    private static CreateTrainingJobRequest Request(string name, int priority, int maxRuntimeSeconds)
    {
        var request = TestJobs.Request(name, priority, TestJobs.G5);
        request.StoppingCondition!.MaxRuntimeInSeconds = maxRuntimeSeconds;
        return request;
    }
}
