using System.Net;
using System.Text;
using System.Text.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker;
using QueuedTraining.Server.SageMakerApi.Tests.Fixtures;

namespace QueuedTraining.Server.SageMakerApi.Tests;

/// <summary>
/// The queue's SageMaker-compatible endpoint driven by the project's own signed SageMaker client, pointed at the
/// queue: JSON 1.1, SigV4 against the configured access keys, SageMaker-shaped answers and errors.
/// </summary>
public sealed class SageMakerCompatibleEndpointTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private QueueServiceHost _queue = null!;
    private SageMakerTrainingClient _alice = null!;

    public async Task InitializeAsync()
    {
        _queue = await QueueServiceHost.StartAsync(QueueSettings.SimulatedWithAccessKeys());
        _alice = Client(AccessKeys.Alice, AccessKeys.AliceSecret);
    }

    public async Task DisposeAsync() => await _queue.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task CreateTrainingJob_ValidRequest_QueuesJobOwnedByAccessKeyWithPriorityFromTag()
    {
        var name = TrainingJobs.UniqueName("create");

        var created = await _alice.CreateTrainingJobAsync(TrainingJobs.New(name, priority: 7, simulatedSeconds: 600));

        Assert.Equal($"arn:aws:sagemaker:us-east-1:000000000000:training-job/{name}", created.TrainingJobArn);
        var job = await _queue.GetJobAsync(name);
        Assert.Equal(AccessKeys.Alice, job.Owner);
        Assert.Equal(7, job.Priority);
    }

    [Fact]
    public async Task CreateTrainingJob_SameRequestTwice_AnswersSameArnAndQueuesOnce()
    {
        var request = TrainingJobs.New(TrainingJobs.UniqueName("twice"), simulatedSeconds: 600);

        var first = await _alice.CreateTrainingJobAsync(request);
        var second = await _alice.CreateTrainingJobAsync(request);

        Assert.Equal(first.TrainingJobArn, second.TrainingJobArn);
    }

    [Fact]
    public async Task CreateTrainingJob_NameQueuedWithDifferentBody_ThrowsResourceInUse()
    {
        var name = TrainingJobs.UniqueName("inuse");
        await _alice.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 600));

        var error = await Assert.ThrowsAsync<SageMakerResourceInUseException>(() => _alice.CreateTrainingJobAsync(TrainingJobs.New(name, priority: 3, simulatedSeconds: 600)));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTrainingJob_InvalidNameAndUnknownPool_ThrowsValidationExceptionListingEachError()
    {
        var request = TrainingJobs.New("bad_name!", instanceType: "ml.unknown.large");

        var error = await Assert.ThrowsAsync<SageMakerValidationException>(() => _alice.CreateTrainingJobAsync(request));

        Assert.StartsWith("2 validation errors detected: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("TrainingJobName", error.Message, StringComparison.Ordinal);
        Assert.Contains("ml.unknown.large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTrainingJob_BodyOverTheLimit_Throws413SerializationExceptionAndQueuesNothing()
    {
        var name = TrainingJobs.UniqueName("big");
        var request = TrainingJobs.New(name, simulatedSeconds: 600);
        request.Environment = new Dictionary<string, string> { ["PAD"] = new string('x', 2 * 1024 * 1024) };

        var error = await Assert.ThrowsAnyAsync<SageMakerException>(() => _alice.CreateTrainingJobAsync(request));

        Assert.Equal("SerializationException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.StatusCode);
        await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(
            () => _alice.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name }));
    }

    [Fact]
    public async Task DescribeTrainingJob_UnknownJob_ThrowsResourceNotFound()
    {
        var error = await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(
            () => _alice.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = "no-such-job" }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task DescribeTrainingJob_WaitingJob_ShowsInProgressPendingWithQueuePosition()
    {
        var running = TrainingJobs.UniqueName("running");
        var waiting = TrainingJobs.UniqueName("waiting");
        await _alice.CreateTrainingJobAsync(TrainingJobs.New(running, simulatedSeconds: 600));
        await Polling.UntilAsync(async () => (await _queue.GetJobAsync(running)).State == JobState.Running, "the first job running");
        await _alice.CreateTrainingJobAsync(TrainingJobs.New(waiting, simulatedSeconds: 600));

        var described = await _alice.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = waiting });

        Assert.Equal(waiting, described.TrainingJobName);
        Assert.Equal(TrainingJobStatus.InProgress, described.TrainingJobStatus);
        Assert.Equal(SecondaryStatus.Pending, described.SecondaryStatus);
        Assert.Contains("position 1", described.SecondaryStatusTransitions![^1].StatusMessage, StringComparison.Ordinal);
        Assert.Contains("; expected to start ", described.SecondaryStatusTransitions![^1].StatusMessage, StringComparison.Ordinal);
        Assert.Contains("[CapacityInUse] waiting for capacity", described.SecondaryStatusTransitions![^1].StatusMessage, StringComparison.Ordinal);
        Assert.Equal(SecondaryStatus.Pending, described.SecondaryStatusTransitions![^1].Status);
        Assert.Equal(TrainingJobs.SmallPool, described.ResourceConfig?.InstanceType);
        Assert.Equal("arn:aws:iam::123456789012:role/SageMakerRole", described.RoleArn);
    }

    [Fact]
    public async Task ListTrainingJobs_MoreJobsThanMaxResults_PagesWithNextTokenAndFilters()
    {
        var prefix = TrainingJobs.UniqueName("list");
        for (var i = 0; i < 5; i++)
        {
            await _alice.CreateTrainingJobAsync(TrainingJobs.New($"{prefix}-{i}", simulatedSeconds: 600));
        }

        var pages = new List<ListTrainingJobsResponse>();
        await foreach (var page in _alice.ListAllTrainingJobsAsync(new ListTrainingJobsRequest { MaxResults = 2, NameContains = prefix.ToUpperInvariant() }))
        {
            pages.Add(page);
        }

        var listed = pages.SelectMany(p => p.TrainingJobSummaries).ToList();
        Assert.Equal(5, listed.Count);
        Assert.Equal(5, listed.Select(s => s.TrainingJobName).Distinct().Count());
        Assert.All(pages[..^1], p => Assert.Equal(2, p.TrainingJobSummaries.Count));
        Assert.All(listed, s => Assert.EndsWith($"training-job/{s.TrainingJobName}", s.TrainingJobArn));
        Assert.All(listed, s => Assert.Equal(TrainingJobStatus.InProgress, s.TrainingJobStatus));

        var completed = await _alice.ListTrainingJobsAsync(new ListTrainingJobsRequest { StatusEquals = TrainingJobStatus.Completed, NameContains = prefix });
        Assert.Empty(completed.TrainingJobSummaries);
    }

    [Fact]
    public async Task DescribeTrainingJob_Completed_SaysWhereTheModelIsUnderTheUsersName()
    {
        var name = TrainingJobs.UniqueName("model");
        await _alice.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 0));
        await Polling.UntilAsync(async () => (await _queue.GetJobAsync(name)).State == JobState.Completed, "the job completed");

        var described = await _alice.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name });

        Assert.Equal(TrainingJobStatus.Completed, described.TrainingJobStatus);
        Assert.Equal(ModelArtifactsLocation.For(TrainingJobs.New(name).OutputDataConfig!.S3OutputPath, name), described.ModelArtifacts?.S3ModelArtifacts);
    }

    [Fact]
    public async Task ListTrainingJobs_UnknownStatus_ThrowsValidationException()
    {
        var error = await Assert.ThrowsAsync<SageMakerValidationException>(
            () => _alice.ListTrainingJobsAsync(new ListTrainingJobsRequest { StatusEquals = "Sleeping" }));

        Assert.Contains("statusEquals", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopTrainingJob_RunningJob_DescribeShowsStopped()
    {
        var name = TrainingJobs.UniqueName("stop");
        await _alice.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 600));
        await Polling.UntilAsync(async () => (await _queue.GetJobAsync(name)).State == JobState.Running, "the job running");

        await _alice.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name });
        await Polling.UntilAsync(
            async () => (await _alice.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name })).TrainingJobStatus == TrainingJobStatus.Stopped,
            "the job stopped");

        var stopped = await Assert.ThrowsAsync<SageMakerValidationException>(() => _alice.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name }));
        Assert.Contains("status Stopped", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopTrainingJob_AnotherOwnersJob_ThrowsAccessDeniedUnlessOperator()
    {
        var name = TrainingJobs.UniqueName("owned");
        await _alice.CreateTrainingJobAsync(TrainingJobs.New(name, simulatedSeconds: 600));

        var denied = await Assert.ThrowsAsync<SageMakerException>(
            () => Client(AccessKeys.Bob, AccessKeys.BobSecret).StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name }));
        await Client(AccessKeys.Operator, AccessKeys.OperatorSecret).StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = name });

        Assert.Equal(SageMakerErrorCodes.AccessDeniedException, denied.ErrorCode);
        Assert.Contains((await _queue.GetJobAsync(name)).State, new[] { JobState.Cancelled, JobState.Stopping, JobState.Stopped });
    }

    [Fact]
    public async Task StopTrainingJob_UnknownJob_ThrowsResourceNotFound()
    {
        await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(
            () => _alice.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = "no-such-job" }));
    }

    [Fact]
    public async Task Request_OperationTheQueueDoesNotServe_ThrowsUnknownOperationException()
    {
        var error = await Assert.ThrowsAsync<SageMakerException>(
            () => _alice.UpdateTrainingJobAsync(new UpdateTrainingJobRequest { TrainingJobName = "x" }));

        Assert.Equal(SageMakerErrorCodes.UnknownOperationException, error.ErrorCode);
    }

    [Fact]
    public async Task Request_Unsigned_Returns403MissingAuthenticationTokenInAwsShape()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _queue.BaseUrl)
        {
            Content = new StringContent("""{"MaxResults":1}""", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "SageMaker.ListTrainingJobs");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/x-amz-json-1.1", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("MissingAuthenticationTokenException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        Assert.NotEmpty(Assert.Single(response.Headers.GetValues("x-amzn-RequestId")));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("#MissingAuthenticationTokenException", body.RootElement.GetProperty("__type").GetString());
        Assert.Equal("Missing Authentication Token", body.RootElement.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(AccessKeys.Alice, "not-alices-secret-key-000000000000000000", "InvalidSignatureException")]
    [InlineData("AKIAUNKNOWN000000000", AccessKeys.AliceSecret, "UnrecognizedClientException")]
    public async Task Request_WrongCredentials_RejectedAsAwsRejectsThem(string accessKey, string secretKey, string expectedError)
    {
        var error = await Assert.ThrowsAnyAsync<SageMakerException>(
            () => Client(accessKey, secretKey).ListTrainingJobsAsync(new ListTrainingJobsRequest()));

        Assert.Equal(expectedError, error.ErrorCode);
    }

    [Fact]
    public async Task DescribeAndList_AnotherTenantsJob_IsNotFoundAndNotListedButTheOperatorSeesIt()
    {
        var name = TrainingJobs.UniqueName("private");
        var request = TrainingJobs.New(name, priority: 1, simulatedSeconds: 600);
        request.HyperParameters = new Dictionary<string, string> { ["api_token"] = "alices-secret" };
        await _alice.CreateTrainingJobAsync(request);
        var bob = Client(AccessKeys.Bob, AccessKeys.BobSecret);
        var ops = Client(AccessKeys.Operator, AccessKeys.OperatorSecret);

        await Assert.ThrowsAsync<SageMakerResourceNotFoundException>(() => bob.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name }));
        var bobsList = await bob.ListTrainingJobsAsync(new ListTrainingJobsRequest { NameContains = name });
        var seen = await ops.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = name });
        var opsList = await ops.ListTrainingJobsAsync(new ListTrainingJobsRequest { NameContains = name });

        Assert.Empty(bobsList.TrainingJobSummaries ?? []);
        Assert.Equal("alices-secret", seen.HyperParameters?["api_token"]);
        Assert.Equal([name], (opsList.TrainingJobSummaries ?? []).Select(s => s.TrainingJobName));
    }

    private SageMakerTrainingClient Client(string accessKey, string secretKey) => AccessKeys.ClientFor(_queue.BaseUrl, _http, accessKey, secretKey);
}
