using System.Net;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

/// <summary>Each principal who is not an operator has a bucket of requests; an empty bucket answers 429 with Retry-After.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync()
    {
        var settings = RunningQueueService.TenantSettings();

        // Three requests, then one more an hour: the fourth in a row is refused however slow the machine.
        settings["QueuedTraining:RateLimit:Burst"] = "3";
        settings["QueuedTraining:RateLimit:RequestsPerPeriod"] = "1";
        settings["QueuedTraining:RateLimit:Period"] = "01:00:00";
        _service = await RunningQueueService.StartAsync(settings: settings);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Requests_BeyondThePrincipalsBurst_Return429WithRetryAfterAndOthersGoOn()
    {
        Use("alice-key");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _service.Client.GetAsync("/v1/capacity")).StatusCode);
        }

        var refused = await _service.Client.GetAsync("/v1/capacity");
        var submission = await _service.SubmitAsync(TestJobs.Request("over-the-limit", 1));
        Use("bob-key");
        var bob = await _service.Client.GetAsync("/v1/capacity");
        Use("ops-key");
        var operatorCalls = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _service.Client.GetAsync("/v1/capacity")));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(ProblemCodes.RateLimited, (await ProblemReader.ReadAsync(refused)).Code);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After names a wait");
        Assert.Equal(HttpStatusCode.TooManyRequests, submission.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.All(operatorCalls, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Use("ops-key");
        Assert.Null(await _service.GetJobAsync("over-the-limit"));
    }

    private void Use(string key) => _service.UseKey(key);
}
