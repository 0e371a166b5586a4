using System.Net;
using System.Net.Http.Json;
using System.Text;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Server.Tests;

public sealed class JobsApiTests : IAsyncLifetime
{
    private RunningQueueService _service = null!;

    public async Task InitializeAsync() => _service = await RunningQueueService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task PostJob_ValidRequest_Returns202WithJobResourceAndLocation()
    {
        var response = await _service.SubmitAsync(TestJobs.Request("job-a", priority: 7));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/v1/jobs/job-a", response.Headers.Location?.OriginalString);
        var job = await response.Content.ReadFromJsonAsync(QueueJsonContext.Default.TrainingJobResource);
        Assert.Equal("job-a", job!.Name);
        Assert.Equal(7, job.Priority);
        Assert.Equal("local", job.Owner);
        Assert.Equal(TestJobs.P5, job.InstanceType);
    }

    [Fact]
    public async Task PostJob_NoPriorityTag_DefaultsToZero()
    {
        var response = await _service.SubmitAsync(TestJobs.Request("job-a"));

        var job = await response.Content.ReadFromJsonAsync(QueueJsonContext.Default.TrainingJobResource);
        Assert.Equal(0, job!.Priority);
    }

    [Fact]
    public async Task PostJob_SameNameAndBodyTwice_AnswersTheExistingJobOnce()
    {
        var first = await _service.SubmitAsync(TestJobs.Request("job-a", 1));
        var second = await _service.SubmitAsync(TestJobs.Request("job-a", 1));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await first.Content.ReadFromJsonAsync(QueueJsonContext.Default.TrainingJobResource);
        var b = await second.Content.ReadFromJsonAsync(QueueJsonContext.Default.TrainingJobResource);
        Assert.Equal(a!.EnqueuedAt, b!.EnqueuedAt);
        Assert.Single((await _service.ListAsync()).Items);
    }

    [Fact]
    public async Task PostJob_SameNameDifferentBody_Returns409JobConflict()
    {
        await _service.SubmitAsync(TestJobs.Request("job-a", 1));

        var response = await _service.SubmitAsync(TestJobs.Request("job-a", 2));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var (code, field, type, _, _) = await ProblemReader.ReadAsync(response);
        Assert.Equal(ProblemCodes.JobConflict, code);
        Assert.Equal("TrainingJobName", field);
        Assert.Equal(ProblemCodes.TypePrefix + ProblemCodes.JobConflict, type);
        Assert.Equal(1, (await _service.GetJobAsync("job-a"))!.Priority);
    }

    [Fact]
    public async Task PostJob_IdempotencyKeyReused_AnswersTheSameJobAndOtherBodyConflicts()
    {
        var first = await _service.SubmitAsync(TestJobs.Request("job-a", 1), idempotencyKey: "k-1");
        var retry = await _service.SubmitAsync(TestJobs.Request("job-a", 1), idempotencyKey: "k-1");
        var reused = await _service.SubmitAsync(TestJobs.Request("job-b", 1), idempotencyKey: "k-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        var problem = await ProblemReader.ReadAsync(reused);
        Assert.Equal(ProblemCodes.JobConflict, problem.Code);
        Assert.Equal("Idempotency-Key", problem.Field);
        Assert.Equal("The idempotency key was used for another request.", problem.Title);
        Assert.Null(await _service.GetJobAsync("job-b"));
    }

    [Fact]
    public async Task PatchJob_PriorityBeyondInt32_SaysTheRange()
    {
        await _service.SubmitAsync(TestJobs.Request("job-a", 3));

        var response = await _service.Client.PatchAsync("/v1/jobs/job-a", new StringContent("""{"priority":99999999999}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemReader.ReadAsync(response);
        Assert.Equal(ProblemCodes.InvalidPriority, problem.Code);
        Assert.Contains("from -2147483648 to 2147483647", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostJob_ParallelPostsSharingOneKeyUnderDifferentNames_StoreExactlyOneJob()
    {
        var names = Enumerable.Range(0, 8).Select(i => $"race-{i}").ToList();

        var responses = await Task.WhenAll(names.Select(name => _service.SubmitAsync(TestJobs.Request(name, 1), idempotencyKey: "race-key")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Accepted), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var stored = 0;
        foreach (var name in names)
        {
            stored += await _service.GetJobAsync(name) is null ? 0 : 1;
        }

        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task PostJob_UnmodelledMembers_SurviveTheQueueUntouched()
    {
        const string body = """
            {"TrainingJobName":"job-x","RoleArn":"arn:aws:iam::123456789012:role/SageMakerRole",
             "AlgorithmSpecification":{"TrainingImage":"img","TrainingInputMode":"File"},
             "OutputDataConfig":{"S3OutputPath":"s3://bucket/out"},"StoppingCondition":{"MaxRuntimeInSeconds":3600},
             "ResourceConfig":{"InstanceType":"ml.p5.48xlarge","InstanceCount":1,"InstanceGroups":[{"Name":"g"}]},
             "RetryStrategy":{"MaximumRetryAttempts":2},"FutureMember":{"nested":[1,2,3]}}
            """;

        var response = await _service.Client.PostAsync("/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var running = await _service.WaitForStateAsync("job-x", JobState.Running);
        var simulated = (QueuedTraining.Backends.Simulated.SimulatedSageMaker)_service.Services.GetService(typeof(QueuedTraining.Backends.Simulated.SimulatedSageMaker))!;
        var description = await simulated.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = running.CurrentAttemptName });
        Assert.Equal("""{"MaximumRetryAttempts":2}""", description.AdditionalMembers!["RetryStrategy"].GetRawText());
        Assert.Equal("""{"nested":[1,2,3]}""", description.AdditionalMembers["FutureMember"].GetRawText());
        Assert.Equal("""[{"Name":"g"}]""", description.ResourceConfig!.AdditionalMembers!["InstanceGroups"].GetRawText());
    }

    [Fact]
    public async Task GetJob_Completed_ShowsTheModelPathUnderTheUsersOwnNameAndWhenItEnded()
    {
        await _service.SubmitAsync(TestJobs.Request("resnet-7", 1, simSeconds: 0.2));

        var completed = await _service.WaitForStateAsync("resnet-7", JobState.Completed);

        Assert.Equal("resnet-7", completed.CurrentAttemptName);
        Assert.Equal("s3://bucket/output/resnet-7/output/model.tar.gz", completed.ModelArtifacts);
        Assert.NotNull(completed.EndedAt);
        Assert.True(completed.EndedAt >= completed.EnqueuedAt);
    }

    [Fact]
    public async Task GetJob_Preempted_ShowsItsPreemptionsAndTheBudgetLeft()
    {
        await _service.SubmitAsync(TestJobs.Request("low", 1, TestJobs.G5, simSeconds: 600));
        var running = await _service.WaitForStateAsync("low", JobState.Running);
        Assert.Equal(0, running.Preemptions);
        Assert.Equal(3, running.PreemptionsLeft);

        await _service.SubmitAsync(TestJobs.Request("high", 5, TestJobs.G5, simSeconds: 600));
        var preempted = await _service.WaitForStateAsync("low", JobState.Preempted);

        Assert.Equal(1, preempted.Preemptions);
        Assert.Equal(2, preempted.PreemptionsLeft);
    }

    [Fact]
    public async Task GetJob_Unknown_Returns404JobNotFound()
    {
        var response = await _service.Client.GetAsync("/v1/jobs/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ProblemCodes.JobNotFound, (await ProblemReader.ReadAsync(response)).Code);
    }

    [Fact]
    public async Task ListJobs_Pages_ComeInQueueOrderWithPositions()
    {
        await _service.SubmitAsync(TestJobs.Request("g5-hold", 9, TestJobs.G5));
        await _service.WaitForStateAsync("g5-hold", JobState.Running);
        foreach (var (name, priority) in new[] { ("w1", 1), ("w2", 5), ("w3", 3), ("w4", 5) })
        {
            await _service.SubmitAsync(TestJobs.Request(name, priority, TestJobs.G5));
        }

        var first = await _service.ListAsync("?state=pending&pageSize=3");
        var second = await _service.ListAsync($"?state=pending&pageSize=3&pageToken={Uri.EscapeDataString(first.NextPageToken!)}");

        Assert.Equal(["w2", "w4", "w3"], first.Items.Select(j => j.Name));
        Assert.Equal([1L, 2L, 3L], first.Items.Select(j => j.QueuePosition ?? 0));
        Assert.Equal(["w1"], second.Items.Select(j => j.Name));
        Assert.Null(second.NextPageToken);
    }

    [Theory]
    [InlineData("?state=sleeping", "state")]
    [InlineData("?state=starting,running", "state")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageToken=%%%", "pageToken")]
    public async Task ListJobs_BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        var response = await _service.Client.GetAsync("/v1/jobs" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await ProblemReader.ReadAsync(response)).Field);
    }

    [Fact]
    public async Task DeleteJob_Waiting_CancelsIt()
    {
        await FillTheG5PoolAsync();
        await _service.SubmitAsync(TestJobs.Request("waiting", 1, TestJobs.G5));

        var response = await _service.Client.DeleteAsync("/v1/jobs/waiting");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JobState.Cancelled, (await _service.GetJobAsync("waiting"))!.State);
    }

    [Fact]
    public async Task DeleteJob_Running_StopsItAndFreesItsInstanceOnceStopped()
    {
        await _service.SubmitAsync(TestJobs.Request("running", 1, TestJobs.G5));
        await _service.WaitForStateAsync("running", JobState.Running);
        await _service.SubmitAsync(TestJobs.Request("next", 1, TestJobs.G5));

        var response = await _service.Client.DeleteAsync("/v1/jobs/running");
        var stopping = await response.Content.ReadFromJsonAsync(QueueJsonContext.Default.TrainingJobResource);

        Assert.Contains(stopping!.State, new[] { JobState.Stopping, JobState.Stopped });
        await _service.WaitForStateAsync("running", JobState.Stopped);
        await _service.WaitForStateAsync("next", JobState.Running);
        var again = await _service.Client.DeleteAsync("/v1/jobs/running");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(ProblemCodes.JobFinished, (await ProblemReader.ReadAsync(again)).Code);
    }

    [Fact]
    public async Task PatchJob_NewPriority_MovesTheWaitingJobAhead()
    {
        await FillTheG5PoolAsync();
        await _service.SubmitAsync(TestJobs.Request("first", 5, TestJobs.G5));
        await _service.SubmitAsync(TestJobs.Request("second", 1, TestJobs.G5));

        var response = await _service.Client.PatchAsync("/v1/jobs/second", JsonContent.Create(new JobPatch { Priority = 8 }, QueueJsonContext.Default.JobPatch));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = await _service.GetJobAsync("second");
        Assert.Equal(8, second!.Priority);
        Assert.Equal(1, second.QueuePosition);
    }

    [Theory]
    [InlineData("""{"priority":"high"}""", ProblemCodes.InvalidPriority, "priority")]
    [InlineData("""{"priority":1.5}""", ProblemCodes.InvalidPriority, "priority")]
    [InlineData("""{"priority":"7"}""", ProblemCodes.InvalidPriority, "priority")]
    [InlineData("""{}""", ProblemCodes.MissingField, "priority")]
    [InlineData("""{"priority":""", ProblemCodes.MalformedJson, null)]
    public async Task PatchJob_BadBody_Returns400AndKeepsPriority(string body, string code, string? field)
    {
        await _service.SubmitAsync(TestJobs.Request("job-a", 3));

        var response = await _service.Client.PatchAsync("/v1/jobs/job-a", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemReader.ReadAsync(response);
        Assert.Equal(code, problem.Code);
        if (field is not null)
        {
            Assert.Equal(field, problem.Field);
        }

        Assert.Equal(3, (await _service.GetJobAsync("job-a"))!.Priority);
    }

    [Fact]
    public async Task GetJob_Waiting_ExplainsTheHeadByItsPoolAndTheRestByTheirPlaceInLine()
    {
        await FillTheG5PoolAsync();
        await _service.SubmitAsync(TestJobs.Request("head", 5, TestJobs.G5));
        await _service.SubmitAsync(TestJobs.Request("behind", 1, TestJobs.G5));

        var head = await _service.GetJobAsync("head");
        var behind = await _service.GetJobAsync("behind");

        Assert.Equal("waiting for capacity: 1 of 1 ml.g5.xlarge instances are in use by jobs of equal or higher priority", head!.Reason);
        Assert.Equal("waiting: 1 job(s) ahead in the ml.g5.xlarge queue", behind!.Reason);
    }

    [Fact]
    public async Task GetCapacity_RunningJob_CountsItsInstances()
    {
        await _service.SubmitAsync(TestJobs.Request("job-a", 1, TestJobs.P5, instanceCount: 2));
        await _service.WaitForStateAsync("job-a", JobState.Running);

        var capacity = await _service.Client.GetFromJsonAsync("/v1/capacity", QueueJsonContext.Default.CapacityResource);

        var p5 = capacity!.Pools.Single(p => p.InstanceType == TestJobs.P5);
        Assert.Equal((2, 2, 0), (p5.Capacity, p5.Used, p5.Free));
        Assert.Equal(1, capacity.Pools.Single(p => p.InstanceType == TestJobs.G5).Free);
    }

    [Fact]
    public async Task GetOpenApi_Document_DescribesTheJobsApi()
    {
        var document = await _service.Client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/v1/jobs/{name}", document, StringComparison.Ordinal);
        Assert.Contains("/v1/capacity", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemWithCode()
    {
        var response = await _service.Client.GetAsync("/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not-found", (await ProblemReader.ReadAsync(response)).Code);
    }

    /// <summary>Runs a high-priority job on the G5 pool (capacity 1), so jobs queued there wait.</summary>
    private async Task FillTheG5PoolAsync()
    {
        await _service.SubmitAsync(TestJobs.Request("hold", 9, TestJobs.G5));
        await _service.WaitForStateAsync("hold", JobState.Running);
    }
}
