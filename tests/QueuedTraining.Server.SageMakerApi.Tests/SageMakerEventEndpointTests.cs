using System.Net;
using System.Text;
using System.Text.Json;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server.SageMakerApi.Tests.Fixtures;

namespace QueuedTraining.Server.SageMakerApi.Tests;

/// <summary>
/// <c>POST /v1/events/sagemaker</c> with EventBridge events, on the SageMaker backend (fake SageMaker on loopback)
/// with reconciliation slowed to an hour, so that only the event can move a job.
/// </summary>
public sealed class SageMakerEventEndpointTests : IAsyncLifetime
{
    private FakeSageMaker _sageMaker = null!;
    private QueueServiceHost _queue = null!;

    public async Task InitializeAsync()
    {
        _sageMaker = await FakeSageMaker.StartAsync();
        var settings = QueueSettings.SageMakerBackend(_sageMaker.ServiceUrl, FakeSageMaker.AccessKey, FakeSageMaker.SecretKey);
        settings["QueuedTraining:ReconcileInterval"] = "01:00:00";
        _queue = await QueueServiceHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        await _sageMaker.DisposeAsync();
    }

    [Theory]
    [InlineData(TrainingJobStatus.Completed, null, JobState.Completed)]
    [InlineData(TrainingJobStatus.Failed, "ClientError: bad input channel", JobState.Failed)]
    public async Task PostEvent_AttemptEnded_MapsToUsersJob(string status, string? failureReason, JobState expected)
    {
        var (name, attempt) = await StartJobAsync();
        _sageMaker.Finish(attempt, status, failureReason);

        using var response = await _queue.PostEventAsync(attempt, status, failureReason);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(ack.RootElement.GetProperty("matched").GetBoolean());
        Assert.Equal(name, ack.RootElement.GetProperty("jobName").GetString());
        Assert.Equal(expected.ToString().ToLowerInvariant(), ack.RootElement.GetProperty("state").GetString());
        var job = await _queue.GetJobAsync(name);
        Assert.Equal(expected, job.State);
        if (failureReason is not null)
        {
            Assert.Contains(failureReason, job.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PostEvent_JobTheQueueDoesNotTrack_AnswersOkNotMatched()
    {
        using var response = await _queue.PostEventAsync("someone-elses-job", TrainingJobStatus.Completed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(ack.RootElement.GetProperty("matched").GetBoolean());
    }

    [Theory]
    [InlineData("{not json", "malformed-json", null)]
    [InlineData("""{"detail-type":"SageMaker Endpoint State Change","source":"aws.sagemaker","detail":{}}""", "invalid-field", "detail-type")]
    [InlineData("""{"detail-type":"SageMaker Training Job State Change","source":"aws.ec2","detail":{}}""", "invalid-field", "source")]
    [InlineData("""{"detail-type":"SageMaker Training Job State Change","source":"aws.sagemaker"}""", "missing-field", "detail")]
    [InlineData("""{"detail-type":"SageMaker Training Job State Change","source":"aws.sagemaker","detail":{"TrainingJobStatus":"Completed"}}""", "missing-field", "detail.TrainingJobName")]
    [InlineData("""{"detail-type":"SageMaker Training Job State Change","source":"aws.sagemaker","time":"yesterday","detail":{}}""", "malformed-json", "time")]
    public async Task PostEvent_BadBody_ReturnsProblemDetails(string body, string code, string? field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _queue.Http.PostAsync("v1/events/sagemaker", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(ProblemCodes.TypePrefix + code, problem.RootElement.GetProperty("type").GetString());
        if (field is not null)
        {
            Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        }
    }

    private async Task<(string Name, string Attempt)> StartJobAsync()
    {
        var name = TrainingJobs.UniqueName("event");
        await _queue.SubmitAsync(TrainingJobs.New(name));
        await Polling.UntilAsync(async () => (await _queue.GetJobAsync(name)).State == JobState.Running, "the job running");
        return (name, (await _queue.GetJobAsync(name)).CurrentAttemptName!);
    }
}
