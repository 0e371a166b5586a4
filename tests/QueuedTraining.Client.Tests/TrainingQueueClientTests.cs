using System.Net;
using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client.Tests;

/// <summary>The typed queue client against the real service, with faults injected inside the resilience handler.</summary>
public sealed class TrainingQueueClientTests
{
    private static bool IsPost(HttpRequestMessage request) => request.Method == HttpMethod.Post;

    [Fact]
    public async Task SubmitAsync_ServerAnswers503ThenSucceeds_RetriesWithSameKeyAndQueuesOnce()
    {
        await using var server = await QueueServer.StartAsync();
        var faults = new ScriptedFaultHandler(IsPost).ThenRespond(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        await using var client = ClientHost.Create(server.BaseAddress, faults: () => faults);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Retry503"));

        var submission = await client.Queue.SubmitAsync(request);

        Assert.True(submission.Created);
        Assert.Equal(2, faults.Attempts.Count);
        Assert.All(faults.Attempts, a => Assert.Equal(submission.IdempotencyKey, a.IdempotencyKey));
        Assert.Single(await client.Queue.ListAllJobsAsync().Where(j => j.Name == request.TrainingJobName).ToListAsync());
    }

    [Fact]
    public async Task SubmitAsync_429WithRetryAfter_WaitsRetryAfterBeforeRetrying()
    {
        await using var server = await QueueServer.StartAsync();
        var faults = new ScriptedFaultHandler(IsPost).ThenRespond(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return response;
        });
        await using var client = ClientHost.Create(server.BaseAddress, faults: () => faults);

        var submission = await client.Queue.SubmitAsync(TestRequests.PyTorch(TestRequests.UniqueName("Retry429")));

        Assert.True(submission.Created);
        var retry = Assert.Single(client.Logs.Entries, e => e.Category == typeof(TrainingQueueClient).FullName && e.EventId.Name == "Retrying");
        Assert.Equal("429", retry.Values["Reason"]);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Values["Delay"]);
    }

    [Fact]
    public async Task SubmitAsync_ConnectionDroppedAfterServerCommitted_RetryReturnsSameJobQueuedOnce()
    {
        await using var server = await QueueServer.StartAsync();
        var faults = new ScriptedFaultHandler(IsPost).ThenForwardAndDropResponse();
        await using var client = ClientHost.Create(server.BaseAddress, faults: () => faults);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Dropped"));

        var submission = await client.Queue.SubmitAsync(request);

        Assert.False(submission.Created);
        Assert.Equal(request.TrainingJobName, submission.Job.Name);
        Assert.Equal(2, faults.Attempts.Count);
        Assert.All(faults.Attempts, a => Assert.Equal(submission.IdempotencyKey, a.IdempotencyKey));
        var jobs = await client.Queue.ListAllJobsAsync().ToListAsync();
        Assert.Equal(request.TrainingJobName, Assert.Single(jobs).Name);
    }

    [Fact]
    public async Task CreateTrainingJob_ConnectionDroppedAfterServerCommitted_DecoratorQueuesOnce()
    {
        await using var server = await QueueServer.StartAsync();
        var faults = new ScriptedFaultHandler(IsPost).ThenForwardAndDropResponse();
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker, faults: () => faults);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("DroppedDecorated"), priority: 4);

        var response = await client.SageMaker.CreateTrainingJobAsync(request);

        Assert.EndsWith(request.TrainingJobName!.ToLowerInvariant(), response.TrainingJobArn, StringComparison.Ordinal);
        Assert.Equal(2, faults.Attempts.Count);
        Assert.Equal(faults.Attempts[0].IdempotencyKey, faults.Attempts[1].IdempotencyKey);
        Assert.Single(await client.Queue.ListAllJobsAsync().ToListAsync());
    }

    [Fact]
    public async Task GetJobAsync_ServerKeepsFailing_ThrowsQueueUnavailableAfterRetries()
    {
        await using var server = await QueueServer.StartAsync();
        var faults = new ScriptedFaultHandler();
        for (var i = 0; i < 3; i++)
        {
            faults.ThenRespond(() => new HttpResponseMessage(HttpStatusCode.BadGateway));
        }

        await using var client = ClientHost.Create(server.BaseAddress, configure: o => o.MaxRetryAttempts = 2, faults: () => faults);

        var error = await Assert.ThrowsAsync<TrainingQueueUnavailableException>(() => client.Queue.GetJobAsync("any"));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(3, faults.Attempts.Count);
    }

    [Fact]
    public async Task GetJobAsync_ConnectionRefusedEveryTime_ThrowsQueueUnavailable()
    {
        var faults = new ScriptedFaultHandler().ThenRefuseConnection().ThenRefuseConnection();
        await using var client = ClientHost.Create(new Uri("http://127.0.0.1:9/"), configure: o => o.MaxRetryAttempts = 1, faults: () => faults);

        var error = await Assert.ThrowsAsync<TrainingQueueUnavailableException>(() => client.Queue.GetJobAsync("any"));

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(2, faults.Attempts.Count);
    }

    [Fact]
    public async Task SubmitAsync_InvalidRequest_ThrowsValidationWithServersFieldErrors()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress);
        var request = TestRequests.PyTorch("not_a_valid_name!");
        request.ResourceConfig!.InstanceType = "ml.unknown.large";

        var error = await Assert.ThrowsAsync<QueuedJobValidationException>(() => client.Queue.SubmitAsync(request));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(error.Errors, e => e.Code == ProblemCodes.InvalidJobName && e.Field == "TrainingJobName");
        Assert.Contains(error.Errors, e => e.Field is not null && e.Field.StartsWith("ResourceConfig", StringComparison.Ordinal));
        Assert.Empty(await client.Queue.ListAllJobsAsync().ToListAsync());
    }

    [Fact]
    public async Task SubmitAsync_SameNameDifferentBody_ThrowsConflict()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress);
        var name = TestRequests.UniqueName("Conflict");
        await client.Queue.SubmitAsync(TestRequests.PyTorch(name));

        var error = await Assert.ThrowsAsync<QueuedJobConflictException>(() => client.Queue.SubmitAsync(TestRequests.PyTorch(name, simulatedSeconds: 5)));

        Assert.Equal(ProblemCodes.JobConflict, error.ProblemCode);
        Assert.Equal(name, error.JobName);
    }

    [Fact]
    public async Task SubmitAsync_SameRequestTwice_SecondAnswersExistingJob()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Twice"));

        var first = await client.Queue.SubmitAsync(request);
        var second = await client.Queue.SubmitAsync(request);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Job.EnqueuedAt, second.Job.EnqueuedAt);
    }

    [Fact]
    public async Task CancelJobAsync_JobAlreadyCancelled_ThrowsJobFinished()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress);
        var blocker = TestRequests.PyTorch(TestRequests.UniqueName("Blocker"));
        var waiting = TestRequests.PyTorch(TestRequests.UniqueName("CancelTwice"));
        await client.Queue.SubmitAsync(blocker);
        await JobPolling.UntilStateAsync(client.Queue, blocker.TrainingJobName!, JobState.Running);
        await client.Queue.SubmitAsync(waiting);
        var cancelled = await client.Queue.CancelJobAsync(waiting.TrainingJobName!);

        await Assert.ThrowsAsync<QueuedJobFinishedException>(() => client.Queue.CancelJobAsync(waiting.TrainingJobName!));

        Assert.Equal(JobState.Cancelled, cancelled.State);
    }

    [Fact]
    public async Task ChangePriorityAsync_WaitingJob_MovesItToTheFrontAndCapacityShowsUse()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress);
        var blocker = TestRequests.PyTorch(TestRequests.UniqueName("Blocker"));
        var early = TestRequests.PyTorch(TestRequests.UniqueName("Early"));
        var late = TestRequests.PyTorch(TestRequests.UniqueName("Late"));
        await client.Queue.SubmitAsync(blocker);
        await JobPolling.UntilStateAsync(client.Queue, blocker.TrainingJobName!, JobState.Running);
        await client.Queue.SubmitAsync(early);
        await client.Queue.SubmitAsync(late);

        var changed = await client.Queue.ChangePriorityAsync(late.TrainingJobName!, 5);

        Assert.Equal(5, changed.Priority);
        Assert.Equal(1, changed.QueuePosition);
        Assert.Equal(2, (await client.Queue.GetJobAsync(early.TrainingJobName!)).QueuePosition);
        var pool = Assert.Single((await client.Queue.GetCapacityAsync()).Pools);
        Assert.Equal(1, pool.Used);
        Assert.Equal(0, pool.Free);
    }

    [Fact]
    public async Task ListJobsAsync_PagesOfOne_ReturnsEveryJobInQueueOrder()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress);
        var blocker = TestRequests.PyTorch(TestRequests.UniqueName("Blocker"));
        await client.Queue.SubmitAsync(blocker);
        await JobPolling.UntilStateAsync(client.Queue, blocker.TrainingJobName!, JobState.Running);
        var low = TestRequests.PyTorch(TestRequests.UniqueName("Low"));
        var high = TestRequests.PyTorch(TestRequests.UniqueName("High"), priority: 10);
        await client.Queue.SubmitAsync(low);
        await client.Queue.SubmitAsync(high);

        var page = await client.Queue.ListJobsAsync(JobState.Pending, pageSize: 1);
        var all = await client.Queue.ListAllJobsAsync(JobState.Pending, pageSize: 1).Select(j => j.Name).ToListAsync();

        Assert.Single(page.Items);
        Assert.NotNull(page.NextPageToken);
        Assert.Equal([high.TrainingJobName!, low.TrainingJobName!], all);
    }

    [Fact]
    public async Task SubmitAsync_ApiKeyMode_SendsBearerKeyAndJobBelongsToItsPrincipal()
    {
        await using var server = await QueueServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["QueuedTraining:Auth:Mode"] = "ApiKey",
            ["QueuedTraining:Auth:ApiKeys:secret-key-1"] = "alice",
        });
        await using var withKey = ClientHost.Create(server.BaseAddress, configure: o => o.ApiKey = "secret-key-1");
        await using var withoutKey = ClientHost.Create(server.BaseAddress);

        var submission = await withKey.Queue.SubmitAsync(TestRequests.PyTorch(TestRequests.UniqueName("Keyed")));
        var error = await Assert.ThrowsAsync<TrainingQueueException>(() => withoutKey.Queue.GetJobAsync(submission.Job.Name));

        Assert.Equal("alice", submission.Job.Owner);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }
}
