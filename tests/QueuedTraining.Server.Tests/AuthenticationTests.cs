using System.Net;
using System.Net.Http.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>With API keys configured, every call needs one, jobs are owned, and only owners or operators change them.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync()
    {
        var settings = RunningQueueService.TenantSettings();
        settings["QueuedTraining:MaxPriority"] = "100";
        settings["QueuedTraining:PrincipalMaxPriority:bob"] = "500";
        _service = await RunningQueueService.StartAsync(settings: settings);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task AnyCall_WithoutValidKey_Returns401Unauthenticated(string? key)
    {
        Use(key);

        var response = await _service.Client.GetAsync("/v1/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ProblemCodes.Unauthenticated, (await ProblemReader.ReadAsync(response)).Code);
        Assert.Contains(key is null ? "needs an API key" : "not known", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostJob_WithKey_RecordsThePrincipalAsOwner()
    {
        Use("alice-key");

        await _service.SubmitAsync(TestJobs.Request("alices-job", 1));

        Assert.Equal("alice", (await _service.GetJobAsync("alices-job"))!.Owner);
    }

    [Fact]
    public async Task DeleteJob_OfAnotherOwner_Returns403AndOperatorMayCancel()
    {
        Use("alice-key");
        await _service.SubmitAsync(TestJobs.Request("alices-job", 1, TestJobs.G5));
        await _service.SubmitAsync(TestJobs.Request("alices-second", 1, TestJobs.G5));

        Use("bob-key");
        var forbidden = await _service.Client.DeleteAsync("/v1/jobs/alices-second");
        Use("ops-key");
        var allowed = await _service.Client.DeleteAsync("/v1/jobs/alices-second");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(ProblemCodes.Forbidden, (await ProblemReader.ReadAsync(forbidden)).Code);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task PostJob_SameNameByAnotherOwner_Returns409()
    {
        Use("alice-key");
        await _service.SubmitAsync(TestJobs.Request("shared-name", 1));
        Use("bob-key");

        var response = await _service.SubmitAsync(TestJobs.Request("shared-name", 1));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task PostJob_PriorityAboveTheTenantsCeiling_Returns400AndStoresNothing()
    {
        Use("alice-key");

        var response = await _service.SubmitAsync(TestJobs.Request("too-high", 101));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemReader.ReadAsync(response);
        Assert.Equal(ProblemCodes.PriorityAboveLimit, problem.Code);
        Assert.Equal("Tags[0].Value", problem.Field);
        Assert.Null(await _service.GetJobAsync("too-high"));
    }

    [Fact]
    public async Task PostJob_PrincipalWithItsOwnCeilingAndAnOperator_MayGoHigher()
    {
        Use("bob-key");
        var bob = await _service.SubmitAsync(TestJobs.Request("bobs-job", 500, TestJobs.G5));
        Use("ops-key");
        var ops = await _service.SubmitAsync(TestJobs.Request("ops-job", 1_000_000, TestJobs.G5));

        Assert.Equal(HttpStatusCode.Accepted, bob.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ops.StatusCode);
    }

    [Fact]
    public async Task PatchPriority_AboveTheTenantsCeiling_Returns400AndKeepsThePriority()
    {
        Use("alice-key");
        await _service.SubmitAsync(TestJobs.Request("raise-me", 1, TestJobs.G5));

        var response = await _service.Client.PatchAsync("/v1/jobs/raise-me", JsonContent.Create(new JobPatch { Priority = 101 }, QueueJsonContext.Default.JobPatch));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ProblemCodes.PriorityAboveLimit, (await ProblemReader.ReadAsync(response)).Code);
        Assert.Equal(1, (await _service.GetJobAsync("raise-me"))!.Priority);
    }

    [Fact]
    public async Task GetJob_OfAnotherTenant_Returns404AndOperatorSeesIt()
    {
        Use("alice-key");
        await _service.SubmitAsync(TestJobs.Request("alices-secret-job", 1, TestJobs.G5));

        Use("bob-key");
        var hidden = await _service.Client.GetAsync("/v1/jobs/alices-secret-job");
        Use("ops-key");
        var shown = await _service.Client.GetAsync("/v1/jobs/alices-secret-job");

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(ProblemCodes.JobNotFound, (await ProblemReader.ReadAsync(hidden)).Code);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
    }

    [Fact]
    public async Task ListJobs_EachTenantSeesItsOwnJobsAndTheOperatorEvery()
    {
        Use("alice-key");
        await _service.SubmitAsync(TestJobs.Request("alice-1", 1, TestJobs.G5));
        await _service.SubmitAsync(TestJobs.Request("alice-2", 1, TestJobs.G5));
        Use("bob-key");
        await _service.SubmitAsync(TestJobs.Request("bob-1", 1, TestJobs.G5));

        var bobs = await ListAllAsync();
        Use("alice-key");
        var alices = await ListAllAsync();
        Use("ops-key");
        var everyone = await ListAllAsync();

        Assert.Equal(["bob-1"], bobs);
        Assert.Equal(["alice-1", "alice-2"], alices.Order(StringComparer.Ordinal));
        Assert.Equal(["alice-1", "alice-2", "bob-1"], everyone.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReleaseJob_OnlyAnOperator_EndsARunningJobAndFreesItsInstances()
    {
        Use("alice-key");
        await _service.SubmitAsync(TestJobs.Request("stranded", 1, TestJobs.G5));
        await _service.WaitForStateAsync("stranded", JobState.Running);

        var byOwner = await _service.Client.PostAsync("/v1/jobs/stranded/release", null);
        Use("ops-key");
        var byOperator = await _service.Client.PostAsync("/v1/jobs/stranded/release?reason=SageMaker%20job%20deleted", null);
        var capacity = await _service.Client.GetFromJsonAsync("/v1/capacity", QueueJsonContext.Default.CapacityResource);

        Assert.Equal(HttpStatusCode.Forbidden, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byOperator.StatusCode);
        var job = (await byOperator.Content.ReadFromJsonAsync(QueueJsonContext.Default.TrainingJobResource))!;
        Assert.Equal(JobState.Stopped, job.State);
        Assert.Equal("released by ops: SageMaker job deleted", job.Reason);
        Assert.Equal(0, capacity!.Pools.Single(p => p.InstanceType == TestJobs.G5).Used);
    }

    /// <summary>Every page, one job per page, so that filtered pages and their tokens are exercised.</summary>
    private async Task<List<string>> ListAllAsync()
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await _service.ListAsync("?pageSize=1" + (token is null ? string.Empty : "&pageToken=" + Uri.EscapeDataString(token)));
            names.AddRange(page.Items.Select(j => j.Name));
            token = page.NextPageToken;
        }
        while (token is not null);
        return names;
    }

    private void Use(string? key) => _service.UseKey(key);
}
