using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Server.SageMakerApi.Tests.Fixtures;

namespace QueuedTraining.Server.SageMakerApi.Tests;

/// <summary>
/// The queue service with <c>QueuedTraining:Backend=SageMaker</c>, its real signed client talking to a loopback
/// fake SageMaker that injects faults. Whatever SageMaker answers, each job must run exactly once.
/// </summary>
public sealed class SageMakerBackendFaultTests : IAsyncLifetime
{
    private FakeSageMaker _sageMaker = null!;

    public async Task InitializeAsync() => _sageMaker = await FakeSageMaker.StartAsync();

    public async Task DisposeAsync() => await _sageMaker.DisposeAsync();

    [Fact]
    public async Task Scheduler_ThrottlingServerErrorsResourceLimitsAndDroppedEvents_RunsEachJobExactlyOnce()
    {
        _sageMaker.EnqueueCreateFaults(
            CreateFault.Throttling, CreateFault.Throttling, CreateFault.Throttling,
            CreateFault.ServerError, CreateFault.ServerError,
            CreateFault.ResourceLimitExceeded, CreateFault.CreatedButAnswerLost, CreateFault.ResourceLimitExceeded,
            CreateFault.ServerError, CreateFault.Throttling);
        await using var queue = await StartQueueAsync();
        var names = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var name = TrainingJobs.UniqueName($"fault{i}");
            names.Add(name);
            // One priority: preemption would rightly start a second attempt, and this test counts attempts.
            await queue.SubmitAsync(TrainingJobs.New(name, i % 3 == 2 ? TrainingJobs.OtherPool : TrainingJobs.SmallPool));
        }

        // Play SageMaker: end each job that runs; deliver the event for every other one and drop the rest.
        var finished = new HashSet<string>(StringComparer.Ordinal);
        await Polling.UntilAsync(async () =>
        {
            foreach (var job in _sageMaker.Jobs.Where(j => j.Status == TrainingJobStatus.InProgress && !finished.Contains(j.Name)))
            {
                _sageMaker.Finish(job.Name, TrainingJobStatus.Completed);
                if (finished.Count % 2 == 0)
                {
                    using var delivered = await queue.PostEventAsync(job.Name, TrainingJobStatus.Completed);
                    Assert.True(delivered.IsSuccessStatusCode);
                }

                finished.Add(job.Name);
            }

            var states = await Task.WhenAll(names.Select(queue.GetJobAsync));
            return states.All(j => j.State == JobState.Completed);
        }, "every job completed");

        var created = _sageMaker.Jobs;
        var record = string.Join("\n", created.Select(j => $"{j.Name} {j.Status} calls={_sageMaker.CreateCalls(j.Name)}"));
        foreach (var name in names)
        {
            var job = await queue.GetJobAsync(name);
            record += $"\n{name}: " + string.Join(" | ", job.History.Select(h => $"{h.State}: {h.Reason}"));
        }

        Assert.True(names.Count == created.Count, record);
        Assert.Equal(names.Order(StringComparer.Ordinal), created.Select(j => j.QueuedJobName).Order(StringComparer.Ordinal));
        Assert.Equal(1, _sageMaker.MaxConcurrentAttemptsPerQueuedJob);
        Assert.True(_sageMaker.MaxInstancesInUse.GetValueOrDefault(TrainingJobs.SmallPool) <= 2, "The ml.m5.large pool holds 2 instances.");
        Assert.True(_sageMaker.MaxInstancesInUse.GetValueOrDefault(TrainingJobs.OtherPool) <= 1, "The ml.c5.xlarge pool holds 1 instance.");
        Assert.Equal(0, _sageMaker.PendingFaults);
        Assert.Equal(0, _sageMaker.SignatureFailures);
        foreach (var name in names)
        {
            var job = await queue.GetJobAsync(name);
            var attempt = Assert.Single(job.Attempts);
            Assert.Equal(TrainingJobStatus.Completed, attempt.Outcome);
            Assert.Single(created, j => j.Name == attempt.SageMakerJobName);
        }
    }

    [Fact]
    public async Task Scheduler_ResourceLimitExceededInOnePool_OtherPoolKeepsStartingJobs()
    {
        _sageMaker.SetPoolFault(TrainingJobs.OtherPool, CreateFault.ResourceLimitExceeded);
        await using var queue = await StartQueueAsync();
        var blocked = TrainingJobs.UniqueName("blocked");
        var first = TrainingJobs.UniqueName("first");
        var second = TrainingJobs.UniqueName("second");
        await queue.SubmitAsync(TrainingJobs.New(blocked, TrainingJobs.OtherPool, priority: 10));
        await queue.SubmitAsync(TrainingJobs.New(first));
        await queue.SubmitAsync(TrainingJobs.New(second));

        await Polling.UntilAsync(async () => (await queue.GetJobAsync(first)).State == JobState.Running && (await queue.GetJobAsync(second)).State == JobState.Running, "both ml.m5.large jobs running");
        await Polling.UntilAsync(async () => (await queue.GetJobAsync(blocked)).Reason?.Contains("ResourceLimitExceeded", StringComparison.Ordinal) == true, "the refused job waiting with SageMaker's reason");
        var waiting = await queue.GetJobAsync(blocked);
        Assert.True(waiting.State.IsWaiting(), $"The refused job must wait, not be {waiting.State}.");
        Assert.Empty(waiting.Attempts);

        _sageMaker.SetPoolFault(TrainingJobs.OtherPool, null);
        await Polling.UntilAsync(async () => (await queue.GetJobAsync(blocked)).State == JobState.Running, "the refused job running once the limit lifts");

        var attempt = Assert.Single((await queue.GetJobAsync(blocked)).Attempts);
        Assert.Single(_sageMaker.Jobs, j => j.QueuedJobName == blocked);
        Assert.True(_sageMaker.CreateCalls(attempt.SageMakerJobName) > 1, "SageMaker refused it at least once before it started.");
    }

    [Theory]
    [InlineData(0)] // the scheduler sees the 500, finds the attempt exists, and reconciliation or a resent claim adopts it
    [InlineData(1)] // the client retries and SageMaker answers ResourceInUse, which the scheduler adopts
    public async Task Scheduler_CreateAnswerLost_AdoptsTheAttemptWithoutCreatingAnother(int clientRetries)
    {
        _sageMaker.EnqueueCreateFaults(CreateFault.CreatedButAnswerLost);
        await using var queue = await StartQueueAsync(clientRetries);
        var name = TrainingJobs.UniqueName("lost");
        await queue.SubmitAsync(TrainingJobs.New(name));

        await Polling.UntilAsync(async () => (await queue.GetJobAsync(name)).State == JobState.Running, "the job running on the attempt that was created");
        var attempt = Assert.Single((await queue.GetJobAsync(name)).Attempts);
        _sageMaker.Finish(attempt.SageMakerJobName, TrainingJobStatus.Completed);
        using var delivered = await queue.PostEventAsync(attempt.SageMakerJobName, TrainingJobStatus.Completed);
        await Polling.UntilAsync(async () => (await queue.GetJobAsync(name)).State == JobState.Completed, "the job completed");

        // One SageMaker job however it was healed. Reconciliation may adopt the attempt first, or the claim, stale by
        // then, is sent again and SageMaker's ResourceInUse adopted: which comes first is timing, so calls may be one more.
        Assert.Single(_sageMaker.Jobs);
        Assert.InRange(_sageMaker.CreateCalls(attempt.SageMakerJobName), clientRetries + 1, clientRetries + 2);
    }

    [Fact]
    public async Task Scheduler_ValidationException_FailsJobWithSageMakersMessage()
    {
        _sageMaker.EnqueueCreateFaults(CreateFault.Validation);
        await using var queue = await StartQueueAsync();
        var name = TrainingJobs.UniqueName("invalid");
        await queue.SubmitAsync(TrainingJobs.New(name));

        await Polling.UntilAsync(async () => (await queue.GetJobAsync(name)).State == JobState.Failed, "the job failed");

        var job = await queue.GetJobAsync(name);
        Assert.Contains(_sageMaker.ValidationMessage, job.Reason, StringComparison.Ordinal);
        Assert.Empty(_sageMaker.Jobs);
    }

    [Theory]
    [InlineData(TrainingJobStatus.Completed, null, JobState.Completed)]
    [InlineData(TrainingJobStatus.Failed, "AlgorithmError: out of memory", JobState.Failed)]
    public async Task Reconciler_EventDropped_HealsJobWithinReconcileInterval(string status, string? failureReason, JobState expected)
    {
        await using var queue = await StartQueueAsync();
        var name = TrainingJobs.UniqueName("dropped");
        await queue.SubmitAsync(TrainingJobs.New(name));
        await Polling.UntilAsync(async () => (await queue.GetJobAsync(name)).State == JobState.Running, "the job running");

        // SageMaker ends the job and no event ever arrives: only reconciliation can notice.
        _sageMaker.Finish(_sageMaker.Jobs.Single().Name, status, failureReason);
        await Polling.UntilAsync(async () => (await queue.GetJobAsync(name)).State == expected, $"the job {expected}");

        var job = await queue.GetJobAsync(name);
        if (failureReason is not null)
        {
            Assert.Contains(failureReason, job.Reason, StringComparison.Ordinal);
        }
    }

    private Task<QueueServiceHost> StartQueueAsync(int clientRetries = 1) =>
        QueueServiceHost.StartAsync(QueueSettings.SageMakerBackend(_sageMaker.ServiceUrl, FakeSageMaker.AccessKey, FakeSageMaker.SecretKey, clientRetries));
}
