using Microsoft.Extensions.Options;
using QueuedTraining.Backends.Simulated;
using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Client.Tests;

/// <summary>The decorator against the real queue service on loopback, with the server's own simulated SageMaker as the inner client.</summary>
public sealed class QueuedSageMakerTrainingClientTests
{
    [Fact]
    public async Task CreateTrainingJob_NewJob_QueuesItAndAnswersArnUnderUserName()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var name = TestRequests.UniqueName("Create");
        var request = TestRequests.PyTorch(name);

        var response = await client.SageMaker.CreateTrainingJobAsync(request);

        Assert.Equal($"arn:aws:sagemaker:us-east-1:000000000000:training-job/{name.ToLowerInvariant()}", response.TrainingJobArn);
        var job = await client.Queue.GetJobAsync(name);
        Assert.Equal(QueueServer.InstanceType, job.InstanceType);
        Assert.Equal(0, job.Priority);
        Assert.Null(request.Tags);
    }

    [Fact]
    public async Task CreateTrainingJob_PriorityFromOptionsTagAndCall_TagWinsOverOptionsAndCallWinsOverTag()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker, o => o.DefaultPriority = 3);
        var untagged = TestRequests.PyTorch(TestRequests.UniqueName("Untagged"));
        var tagged = TestRequests.PyTorch(TestRequests.UniqueName("Tagged"), priority: 9);
        var overridden = TestRequests.PyTorch(TestRequests.UniqueName("Overridden"), priority: 9);

        await client.SageMaker.CreateTrainingJobAsync(untagged);
        await client.SageMaker.CreateTrainingJobAsync(tagged);
        await client.Decorator.CreateTrainingJobAsync(overridden, new QueuedSubmitOptions { Priority = 1 });

        Assert.Equal(3, (await client.Queue.GetJobAsync(untagged.TrainingJobName!)).Priority);
        Assert.Equal(9, (await client.Queue.GetJobAsync(tagged.TrainingJobName!)).Priority);
        Assert.Equal(1, (await client.Queue.GetJobAsync(overridden.TrainingJobName!)).Priority);
        Assert.Equal("9", Assert.Single(overridden.Tags!).Value);
    }

    [Fact]
    public async Task DescribeTrainingJob_JobWaits_AnswersInProgressPendingWithQueuePositionAndReason()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var running = TestRequests.PyTorch(TestRequests.UniqueName("Running"));
        var waiting = TestRequests.PyTorch(TestRequests.UniqueName("Waiting"));
        await client.StartAndWaitUntilRunningAsync(running);
        await client.SageMaker.CreateTrainingJobAsync(waiting);

        var description = await client.SageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = waiting.TrainingJobName });

        Assert.Equal(waiting.TrainingJobName, description.TrainingJobName);
        Assert.Equal(TrainingJobStatus.InProgress, description.TrainingJobStatus);
        Assert.Equal(SecondaryStatus.Pending, description.SecondaryStatus);
        var message = Assert.Single(description.SecondaryStatusTransitions!).StatusMessage;
        Assert.Contains("position 1", message, StringComparison.Ordinal);
        Assert.Contains("1 x ml.p5.48xlarge", message, StringComparison.Ordinal);
        Assert.Equal(QueueServer.InstanceType, description.ResourceConfig?.InstanceType);
        Assert.Equal($"arn:aws:sagemaker:us-east-1:000000000000:training-job/{waiting.TrainingJobName!.ToLowerInvariant()}", description.TrainingJobArn);
    }

    [Fact]
    public async Task ListTrainingJobs_QueuedAndInnerJobs_ListsQueuedJobsFirstThenInnerJobsAcrossPages()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var running = TestRequests.PyTorch(TestRequests.UniqueName("ListRun"));
        await client.SageMaker.CreateTrainingJobAsync(running);
        var runningJob = await JobPolling.UntilStateAsync(client.Queue, running.TrainingJobName!, JobState.Running);
        var first = TestRequests.PyTorch(TestRequests.UniqueName("ListWaitA"));
        var second = TestRequests.PyTorch(TestRequests.UniqueName("ListWaitB"));
        await client.SageMaker.CreateTrainingJobAsync(first);
        await client.SageMaker.CreateTrainingJobAsync(second);

        var names = new List<string>();
        var pages = 0;
        string? token = null;
        TrainingJobSummary? firstSummary = null;
        do
        {
            var page = await client.SageMaker.ListTrainingJobsAsync(new ListTrainingJobsRequest { MaxResults = 2, NextToken = token });
            Assert.True(page.TrainingJobSummaries.Count <= 2);
            firstSummary ??= page.TrainingJobSummaries.FirstOrDefault(s => s.TrainingJobName == first.TrainingJobName);
            names.AddRange(page.TrainingJobSummaries.Select(s => s.TrainingJobName!));
            token = page.NextToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal([running.TrainingJobName!, first.TrainingJobName!, second.TrainingJobName!, runningJob.CurrentAttemptName!], names);
        Assert.Equal(TrainingJobStatus.InProgress, firstSummary?.TrainingJobStatus);
        Assert.Equal(SecondaryStatus.Pending, firstSummary?.SecondaryStatus);
    }

    [Fact]
    public async Task StopTrainingJob_JobWaits_CancelsItInQueue()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var running = TestRequests.PyTorch(TestRequests.UniqueName("Blocker"));
        var waiting = TestRequests.PyTorch(TestRequests.UniqueName("StopWaiting"));
        await client.StartAndWaitUntilRunningAsync(running);
        await client.SageMaker.CreateTrainingJobAsync(waiting);

        await client.SageMaker.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = waiting.TrainingJobName });

        Assert.Equal(JobState.Cancelled, (await client.Queue.GetJobAsync(waiting.TrainingJobName!)).State);
        var description = await client.SageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = waiting.TrainingJobName });
        Assert.Equal(TrainingJobStatus.Stopped, description.TrainingJobStatus);
    }

    [Fact]
    public async Task StopTrainingJob_JobRuns_StopsItsAttemptThroughQueue()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("StopRunning"));
        await client.SageMaker.CreateTrainingJobAsync(request);
        var job = await JobPolling.UntilStateAsync(client.Queue, request.TrainingJobName!, JobState.Running);

        await client.SageMaker.StopTrainingJobAsync(new StopTrainingJobRequest { TrainingJobName = request.TrainingJobName });
        var outcome = await client.Waiter.WaitUntilEndedAsync(request.TrainingJobName!, new TrainingJobWaitOptions { InitialPollInterval = TimeSpan.FromMilliseconds(100) });

        Assert.Equal(QueuedJobOutcomeKind.Stopped, outcome.Kind);
        var attempt = await server.SageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = job.CurrentAttemptName });
        Assert.Equal(TrainingJobStatus.Stopped, attempt.TrainingJobStatus);
        var description = await client.SageMaker.DescribeTrainingJobAsync(new DescribeTrainingJobRequest { TrainingJobName = request.TrainingJobName });
        Assert.Equal(TrainingJobStatus.Stopped, description.TrainingJobStatus);
        Assert.Equal(request.TrainingJobName, description.TrainingJobName);
    }
}
