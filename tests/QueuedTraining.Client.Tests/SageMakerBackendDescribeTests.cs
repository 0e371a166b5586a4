using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.SageMaker;
using QueuedTraining.Testing;
using QueuedTraining.Testing.Server;

namespace QueuedTraining.Client.Tests;

/// <summary>
/// Describe through the decorator when the queue runs its attempts on SageMaker: here a real moto_server, which the
/// queue service and the decorator's inner client (the project's signed SageMaker client) both call. moto completes a
/// job as soon as it is created.
/// </summary>
public sealed class SageMakerBackendDescribeTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task DescribeTrainingJob_AttemptOnSageMakerBackend_AnswersInnerDescriptionOfAttemptUnderUserName()
    {
        await using var server = await QueueServiceHost.StartAsync(QueueSettings.SageMakerBackend(moto.ServiceUrl, "testing", "testing"));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var inner = MotoClient(http);
        await using var client = ClientHost.Create(server.BaseUrl, inner);
        var request = TrainingJobs.New(TrainingJobs.UniqueName("moto"));
        await client.SageMaker.CreateTrainingJobAsync(request);
        var job = await JobPolling.UntilStateAsync(client.Queue, request.TrainingJobName!, JobState.Completed);

        var description = await client.SageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = request.TrainingJobName });

        var attempt = await inner.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = job.CurrentAttemptName });
        Assert.Equal(QueueBackends.SageMaker, job.Backend);
        Assert.Equal(request.TrainingJobName, description.TrainingJobName);
        Assert.Equal(TrainingJobStatus.Completed, description.TrainingJobStatus);
        Assert.NotNull(attempt.TrainingStartTime);
        Assert.Equal(attempt.TrainingStartTime, description.TrainingStartTime);
        Assert.NotEqual(attempt.TrainingJobArn, description.TrainingJobArn);
    }

    [Fact]
    public async Task DescribeTrainingJob_InnerDoesNotKnowAttempt_AnswersQueueView()
    {
        await using var server = await QueueServiceHost.StartAsync(QueueSettings.SageMakerBackend(moto.ServiceUrl, "testing", "testing"));
        using var otherSageMaker = new SimulatedSageMaker(Options.Create(new SimulatedSageMakerOptions()), TimeProvider.System);
        await using var client = ClientHost.Create(server.BaseUrl, otherSageMaker);
        var request = TrainingJobs.New(TrainingJobs.UniqueName("elsewhere"));
        await client.SageMaker.CreateTrainingJobAsync(request);
        await JobPolling.UntilStateAsync(client.Queue, request.TrainingJobName!, JobState.Completed);

        var description = await client.SageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = request.TrainingJobName });

        Assert.Equal(TrainingJobStatus.Completed, description.TrainingJobStatus);
        Assert.Equal(SecondaryStatus.Completed, description.SecondaryStatus);
        Assert.Null(description.TrainingStartTime);
        Assert.Contains(client.Logs.Entries, e => e.EventId.Id == 2003);
    }

    private SageMakerTrainingClient MotoClient(HttpClient http) =>
        new(http, Options.Create(new SageMakerClientOptions
        {
            Region = "us-east-1",
            ServiceUrl = moto.ServiceUrl,
            AccessKey = "testing",
            SecretKey = "testing",
        }), TimeProvider.System, NullLogger<SageMakerTrainingClient>.Instance);
}
