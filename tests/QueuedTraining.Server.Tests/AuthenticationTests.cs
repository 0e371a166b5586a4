using System.Net;
using System.Net.Http.Headers;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>With API keys configured, every call needs one, jobs are owned, and only owners or operators change them.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync() => _service = await RunningQueueService.StartAsync(settings: new Dictionary<string, string?>
    {
        ["QueuedTraining:Auth:Mode"] = "ApiKey",
        ["QueuedTraining:Auth:ApiKeys:alice-key"] = "alice",
        ["QueuedTraining:Auth:ApiKeys:bob-key"] = "bob",
        ["QueuedTraining:Auth:ApiKeys:ops-key"] = "ops",
        ["QueuedTraining:Auth:Operators:0"] = "ops",
    });

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

    private void Use(string? key) =>
        _service.Client.DefaultRequestHeaders.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
}
