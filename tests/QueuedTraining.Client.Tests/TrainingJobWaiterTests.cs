using Microsoft.Extensions.Time.Testing;
using QueuedTraining.Client.Tests.Fixtures;
using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client.Tests;

/// <summary>The status helper against the real queue service, whose simulated SageMaker finishes jobs after sim_duration_seconds.</summary>
public sealed class TrainingJobWaiterTests
{
    private static readonly TrainingJobWaitOptions FastPolling = new()
    {
        InitialPollInterval = TimeSpan.FromMilliseconds(100),
        MaxPollInterval = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task WaitUntilEndedAsync_JobWaitsThenRuns_ReportsQueuePositionAndReturnsCompleted()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var first = TestRequests.PyTorch(TestRequests.UniqueName("First"), simulatedSeconds: 2);
        var second = TestRequests.PyTorch(TestRequests.UniqueName("Second"), simulatedSeconds: 1);
        await client.StartAndWaitUntilRunningAsync(first);
        await client.SageMaker.CreateTrainingJobAsync(second);
        var progress = new RecordingProgress<QueuedJobStatus>();

        var outcome = await client.Waiter.WaitUntilEndedAsync(second.TrainingJobName!, FastPolling, progress);

        Assert.Equal(QueuedJobOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(JobState.Completed, outcome.Status.State);
        var reports = progress.Reports;
        Assert.Equal(JobState.Pending, reports[0].State);
        Assert.Equal(1, reports[0].QueuePosition);
        Assert.NotNull(reports[0].ExpectedStart);
        Assert.StartsWith("1st in line; expected to start ", reports[0].WaitingSummary, StringComparison.Ordinal);
        Assert.Null(reports[^1].WaitingSummary);
        Assert.Equal("CapacityInUse", reports[0].ReasonCode);
        Assert.Contains(reports, r => r.State == JobState.Running);
        Assert.Equal(JobState.Completed, reports[^1].State);
    }

    [Fact]
    public async Task WaitUntilEndedAsync_ClockNeverMoves_FollowsTheEventStreamToTheEnd()
    {
        // The waiter's clock never moves, so no poll interval ever passes: only the event stream can wake it.
        await using var server = await QueueServer.StartAsync(capacity: 1, new Dictionary<string, string?> { ["QueuedTraining:Events:PollInterval"] = "00:00:00.100" });
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var blocker = TestRequests.PyTorch(TestRequests.UniqueName("Ahead"), simulatedSeconds: 2);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Followed"), simulatedSeconds: 1);
        await client.StartAndWaitUntilRunningAsync(blocker);
        await client.SageMaker.CreateTrainingJobAsync(request);
        var waiter = new TrainingJobWaiter(client.Queue, new FakeTimeProvider());
        var progress = new RecordingProgress<QueuedJobStatus>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var outcome = await waiter.WaitUntilEndedAsync(
            request.TrainingJobName!, new TrainingJobWaitOptions { InitialPollInterval = TimeSpan.FromHours(1), MaxPollInterval = TimeSpan.FromHours(1) }, progress, deadline.Token);

        Assert.Equal(QueuedJobOutcomeKind.Completed, outcome.Kind);
        Assert.Equal(JobState.Pending, progress.Reports[0].State);
        Assert.Contains(progress.Reports, r => r.State == JobState.Running);
    }

    [Fact]
    public async Task WaitUntilEndedAsync_EventsOff_PollsToTheEnd()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Polled"), simulatedSeconds: 1);
        await client.SageMaker.CreateTrainingJobAsync(request);

        var outcome = await client.Waiter.WaitUntilEndedAsync(request.TrainingJobName!, new TrainingJobWaitOptions
        {
            InitialPollInterval = FastPolling.InitialPollInterval,
            MaxPollInterval = FastPolling.MaxPollInterval,
            FollowEvents = false,
        });

        Assert.Equal(QueuedJobOutcomeKind.Completed, outcome.Kind);
    }

    [Fact]
    public async Task WaitUntilStartedAsync_JobStarts_ReturnsStartedStatus()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Starts"));
        await client.SageMaker.CreateTrainingJobAsync(request);

        var status = await client.Waiter.WaitUntilStartedAsync(request.TrainingJobName!, FastPolling);

        Assert.True(status.HasStarted);
        Assert.Contains(status.State, new[] { JobState.Starting, JobState.Running });
    }

    [Fact]
    public async Task WaitUntilEndedAsync_JobFails_ReturnsFailedWithReason()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Fails"), simulatedSeconds: 0.5, outcome: "Failed");
        await client.SageMaker.CreateTrainingJobAsync(request);

        var outcome = await client.Waiter.WaitUntilEndedAsync(request.TrainingJobName!, FastPolling);

        Assert.Equal(QueuedJobOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("simulated failure", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitUntilEndedAsync_JobCancelledWhileWaiting_ReturnsCancelled()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var blocker = TestRequests.PyTorch(TestRequests.UniqueName("Blocker"));
        var waiting = TestRequests.PyTorch(TestRequests.UniqueName("Cancelled"));
        await client.StartAndWaitUntilRunningAsync(blocker);
        await client.SageMaker.CreateTrainingJobAsync(waiting);
        await client.Queue.CancelJobAsync(waiting.TrainingJobName!);

        var outcome = await client.Waiter.WaitUntilEndedAsync(waiting.TrainingJobName!, FastPolling);

        Assert.Equal(QueuedJobOutcomeKind.Cancelled, outcome.Kind);
        Assert.False(outcome.Status.HasStarted);
    }

    [Fact]
    public async Task WaitUntilStartedAsync_TimeoutRunsOut_ThrowsWaitTimeoutWithLastStatus()
    {
        await using var server = await QueueServer.StartAsync(capacity: 1);
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var blocker = TestRequests.PyTorch(TestRequests.UniqueName("Blocker"));
        var waiting = TestRequests.PyTorch(TestRequests.UniqueName("Waits"));
        await client.StartAndWaitUntilRunningAsync(blocker);
        await client.SageMaker.CreateTrainingJobAsync(waiting);
        var time = new FakeTimeProvider();
        var waiter = new TrainingJobWaiter(client.Queue, time);
        var progress = new RecordingProgress<QueuedJobStatus>();

        var wait = waiter.WaitUntilStartedAsync(waiting.TrainingJobName!, new TrainingJobWaitOptions { Timeout = TimeSpan.FromMinutes(10) }, progress);
        await progress.First;
        time.Advance(TimeSpan.FromMinutes(10));

        var error = await Assert.ThrowsAsync<QueuedJobWaitTimeoutException>(() => wait);
        Assert.Equal(JobState.Pending, error.LastStatus?.State);
    }

    [Fact]
    public async Task WaitUntilEndedAsync_CallerCancels_ThrowsOperationCanceled()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("Long"));
        await client.SageMaker.CreateTrainingJobAsync(request);
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress<QueuedJobStatus>();

        var wait = client.Waiter.WaitUntilEndedAsync(request.TrainingJobName!, FastPolling, progress, cancellation.Token);
        await progress.First;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task GetStatusAsync_UnknownJob_ThrowsJobNotFound()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress);

        var error = await Assert.ThrowsAsync<QueuedJobNotFoundException>(() => client.Waiter.GetStatusAsync("no-such-job"));

        Assert.Equal("no-such-job", error.JobName);
    }

    [Fact]
    public async Task WaitUntilEndedAsync_InlineProgressWithSlowHandler_HandlesEveryStatusBeforeTheWaitReturns()
    {
        await using var server = await QueueServer.StartAsync();
        await using var client = ClientHost.Create(server.BaseAddress, server.SageMaker);
        var request = TestRequests.PyTorch(TestRequests.UniqueName("InOrder"), simulatedSeconds: 0.5);
        await client.SageMaker.CreateTrainingJobAsync(request);
        var lines = new List<string>();
        var progress = new InlineProgress<QueuedJobStatus>(status =>
        {
            // A console write that takes a while: with Progress<T> it would still be running on the pool when the wait returns.
            Thread.Sleep(50);
            lines.Add(status.State.ToString());
        });

        var outcome = await client.Waiter.WaitUntilEndedAsync(request.TrainingJobName!, FastPolling, progress);
        lines.Add("outcome " + outcome.Kind);

        Assert.Equal(JobState.Completed.ToString(), lines[^2]);
        Assert.Equal("outcome Completed", lines[^1]);
    }
}
