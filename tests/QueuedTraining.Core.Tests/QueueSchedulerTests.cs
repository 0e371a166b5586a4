using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Storage;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

public sealed class QueueSchedulerTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task RunPassAsync_MoreJobsThanInstances_StartsHighestPrioritiesAndQueuesTheRest()
    {
        await using var h = new SchedulerHarness();
        await h.SubmitAsync("low", 1);
        await h.SubmitAsync("high", 5);
        await h.SubmitAsync("mid", 3);

        await h.SettleAsync();

        Assert.Equal(JobState.Running, await h.StateOf("high"));
        Assert.Equal(JobState.Running, await h.StateOf("mid"));
        Assert.Equal(JobState.Pending, await h.StateOf("low"));
        Assert.Equal(2, h.Simulated.ActiveJobCount);
    }

    [Fact]
    public async Task RunPassAsync_SeedScenario_PreemptsLowestAndResumesItBeforeLaterJobOfItsPriority()
    {
        await using var h = new SchedulerHarness();
        await h.SubmitAsync("job1", 1, seconds: 600);
        await h.SubmitAsync("job2", 2, seconds: 120);
        await h.SubmitAsync("job3", 1, seconds: 600);
        await h.SettleAsync();
        Assert.Equal([JobState.Running, JobState.Running, JobState.Pending], [await h.StateOf("job1"), await h.StateOf("job2"), await h.StateOf("job3")]);

        await h.SubmitAsync("job4", 3, seconds: 300);
        await h.SettleAsync();
        Assert.Equal(JobState.Preempting, await h.StateOf("job1"));
        Assert.Equal(JobState.Pending, await h.StateOf("job4"));

        await h.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(JobState.Preempted, await h.StateOf("job1"));
        Assert.Equal(JobState.Running, await h.StateOf("job4"));

        await h.AdvanceAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(JobState.Completed, await h.StateOf("job2"));
        Assert.Equal(JobState.Running, await h.StateOf("job1"));
        Assert.Equal(JobState.Pending, await h.StateOf("job3"));

        for (var minute = 0; minute < 30; minute++)
        {
            await h.AdvanceAsync(Minute);
        }

        foreach (var name in new[] { "job1", "job2", "job3", "job4" })
        {
            Assert.Equal(JobState.Completed, await h.StateOf(name));
        }

        var job1 = await h.Get("job1");
        Assert.Equal(2, job1.Attempts.Count);
        Assert.NotEqual(job1.Attempts[0].SageMakerJobName, job1.Attempts[1].SageMakerJobName);
        Assert.Equal("Stopped", job1.Attempts[0].Outcome);
        Assert.Equal(TestJobs.Epoch, job1.EnqueuedAt);
        Assert.Contains(job1.History, e => e.State == JobState.Preempting && e.Reason.Contains("job4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunPassAsync_WaitingJobOfEqualPriority_NeverPreemptsAndWritesNothingForIt()
    {
        await using var h = new SchedulerHarness();
        await h.SubmitAsync("a", 2);
        await h.SubmitAsync("b", 2);
        await h.SubmitAsync("c", 2);

        await h.SettleAsync();

        Assert.Equal(JobState.Running, await h.StateOf("a"));
        Assert.Equal(JobState.Running, await h.StateOf("b"));
        var c = await h.Get("c");
        Assert.Equal(JobState.Pending, c.State);

        // Why it waits is worked out on read; a blocked pass costs no commit.
        Assert.Equal(1, c.Version);
    }

    [Fact]
    public async Task RunPassAsync_NeedsOneInstance_PreemptsOnlyOneMostRecentlyStartedOfLowestPriority()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 3 });
        await h.SubmitAsync("old-low", 1);
        await h.SettleAsync();
        h.Time.Advance(Minute);
        await h.SubmitAsync("new-low", 1);
        await h.SubmitAsync("mid", 2);
        await h.SettleAsync();

        await h.SubmitAsync("urgent", 9);
        await h.SettleAsync();

        Assert.Equal(JobState.Preempting, await h.StateOf("new-low"));
        Assert.Equal(JobState.Running, await h.StateOf("old-low"));
        Assert.Equal(JobState.Running, await h.StateOf("mid"));
    }

    [Fact]
    public async Task RunPassAsync_MultiInstanceJob_PreemptsJustEnoughInstances()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 4 });
        await h.SubmitAsync("a", 1);
        await h.SubmitAsync("b", 1);
        await h.SubmitAsync("big-mid", 3, instanceCount: 2);
        await h.SettleAsync();

        await h.SubmitAsync("big-urgent", 5, instanceCount: 2);
        await h.SettleAsync();
        Assert.Equal(JobState.Preempting, await h.StateOf("a"));
        Assert.Equal(JobState.Preempting, await h.StateOf("b"));
        Assert.Equal(JobState.Running, await h.StateOf("big-mid"));

        await h.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(JobState.Running, await h.StateOf("big-urgent"));
    }

    [Fact]
    public async Task RunPassAsync_PreemptingEverythingEligibleIsNotEnough_PreemptsNothing()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 2 });
        await h.SubmitAsync("high", 9);
        await h.SubmitAsync("low", 1);
        await h.SettleAsync();

        await h.SubmitAsync("big", 5, instanceCount: 2);
        await h.SettleAsync();

        Assert.Equal(JobState.Running, await h.StateOf("low"));
        Assert.Equal(JobState.Pending, await h.StateOf("big"));
    }

    [Fact]
    public async Task RunPassAsync_StoppingJob_HoldsItsInstancesUntilSageMakerReportsStopped()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1 });
        await h.SubmitAsync("running", 1);
        await h.SettleAsync();
        await h.SubmitAsync("next", 1);

        await h.Commands.CancelAsync("running", SchedulerHarness.Alice);
        await h.SettleAsync();
        Assert.Equal(JobState.Stopping, await h.StateOf("running"));
        Assert.Equal(JobState.Pending, await h.StateOf("next"));

        await h.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(JobState.Stopped, await h.StateOf("running"));
        Assert.Equal(JobState.Running, await h.StateOf("next"));
    }

    [Fact]
    public async Task RunPassAsync_BlockedPool_DoesNotBlockOtherPools()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1, [TestJobs.G5] = 1 });
        await h.SubmitAsync("p5-running", 9);
        await h.SettleAsync();
        await h.SubmitAsync("p5-waiting", 9);
        await h.SubmitAsync("g5-job", 0, instanceType: TestJobs.G5);

        await h.SettleAsync();

        Assert.Equal(JobState.Pending, await h.StateOf("p5-waiting"));
        Assert.Equal(JobState.Running, await h.StateOf("g5-job"));
    }

    [Fact]
    public async Task RunPassAsync_HeadJobDoesNotFit_SmallerLowerPriorityJobDoesNotOvertakeIt()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 2 });
        await h.SubmitAsync("holder", 9);
        await h.SettleAsync();
        await h.SubmitAsync("big", 5, instanceCount: 2);
        await h.SubmitAsync("small", 1);

        await h.SettleAsync();

        Assert.Equal(JobState.Pending, await h.StateOf("big"));
        Assert.Equal(JobState.Pending, await h.StateOf("small"));
    }

    [Fact]
    public async Task RunPassAsync_ResourceLimitExceeded_RequeuesWithBackoffAndKeepsOtherPoolsGoing()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1, [TestJobs.G5] = 1 });
        h.Backend.CreateFaults.Enqueue(_ => new SageMakerResourceLimitExceededException("The account-level service limit 'ml.p5.48xlarge for training job usage' is 0 Instances"));
        await h.SubmitAsync("p5-job", 1);
        await h.SubmitAsync("g5-job", 1, instanceType: TestJobs.G5);

        await h.SettleAsync();
        var p5 = await h.Get("p5-job");
        Assert.Equal(JobState.Pending, p5.State);
        Assert.Contains("ResourceLimitExceeded", p5.Reason, StringComparison.Ordinal);
        Assert.NotNull(p5.NotBefore);
        Assert.Empty(p5.Attempts);
        Assert.Equal(JobState.Running, await h.StateOf("g5-job"));

        await h.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(JobState.Running, await h.StateOf("p5-job"));
        Assert.Single((await h.Get("p5-job")).Attempts);
    }

    [Fact]
    public async Task RunPassAsync_ValidationError_FailsJobWithSageMakersMessage()
    {
        await using var h = new SchedulerHarness();
        h.Backend.CreateFaults.Enqueue(_ => new SageMakerValidationException("Could not find role arn"));
        await h.SubmitAsync("bad-role", 1);

        await h.SettleAsync();

        var job = await h.Get("bad-role");
        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains("Could not find role arn", job.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPassAsync_FirstAttempt_RunsUnderTheUsersOwnName()
    {
        await using var h = new SchedulerHarness();
        await h.SubmitAsync("resnet-sweep-7", 1);

        await h.SettleAsync();

        var running = await h.Get("resnet-sweep-7");
        Assert.Equal(JobState.Running, running.State);
        Assert.Equal("resnet-sweep-7", running.CurrentAttemptName);
        Assert.Equal(TrainingJobStatus.InProgress, (await h.Simulated.DescribeTrainingJobAsync(new() { TrainingJobName = "resnet-sweep-7" })).TrainingJobStatus);
    }

    [Fact]
    public async Task RunPassAsync_OwnNameTakenByAJobTheQueueDidNotCreate_RunsUnderASuffixedName()
    {
        await using var h = new SchedulerHarness();
        await CreateForeignAsync(h, "job");
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var job = await h.SubmitAsync("job", 1);

        await h.SettleAsync();

        var running = await h.Get("job");
        Assert.Equal(JobState.Running, running.State);
        Assert.True(running.OwnNameTaken);
        Assert.Equal(Jobs.AttemptNames.Create("job", 1, job.EnqueuedAt), running.CurrentAttemptName);
        Assert.Single(running.Attempts);
        Assert.Contains(running.History, h => h.Reason.Contains("is taken on SageMaker", StringComparison.Ordinal));
        Assert.Equal(2, h.Simulated.ActiveJobCount);
    }

    [Fact]
    public async Task RunPassAsync_SuffixedNameAlsoTakenByAJobTheQueueDidNotCreate_FailsTheJobAndLeavesTheOtherAlone()
    {
        await using var h = new SchedulerHarness();
        var job = await h.SubmitAsync("job", 1);
        await CreateForeignAsync(h, "job");
        await CreateForeignAsync(h, Jobs.AttemptNames.Create(job.Name, 1, job.EnqueuedAt));
        h.Time.Advance(TimeSpan.FromMinutes(10));

        await h.SettleAsync();

        var failed = await h.Get("job");
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Contains("was not created by this queue", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(2, h.Simulated.ActiveJobCount);
    }

    private static async Task CreateForeignAsync(SchedulerHarness h, string name)
    {
        var foreign = TestJobs.Request(name, 1, simSeconds: 3600);
        foreign.RoleArn = "arn:aws:iam::999999999999:role/SomeoneElse";
        await h.Simulated.CreateTrainingJobAsync(foreign);
    }

    [Fact]
    public async Task RunPassAsync_CreateAnswerLostButJobCreated_AdoptsTheAttemptInsteadOfStartingTwice()
    {
        await using var h = new SchedulerHarness();
        h.Backend.CreateFaults.Enqueue(request =>
        {
            h.Simulated.CreateTrainingJobAsync(request).GetAwaiter().GetResult();
            return new SageMakerException("InternalFailure", "We encountered an internal error", System.Net.HttpStatusCode.InternalServerError);
        });
        await h.SubmitAsync("job", 1);

        await h.SettleAsync();
        await h.Reconciler.RunOnceAsync();
        await h.SettleAsync();

        var job = await h.Get("job");
        Assert.Equal(JobState.Running, job.State);
        Assert.Single(job.Attempts);
        Assert.Equal(1, h.Simulated.ActiveJobCount);
    }

    [Fact]
    public async Task RunPassAsync_SimulatedFailure_FailsJobWithReason()
    {
        await using var h = new SchedulerHarness();
        var request = TestJobs.Request("doomed", 1, simSeconds: 30);
        request.HyperParameters!["sim_outcome"] = "Failed";
        await h.Commands.SubmitAsync("alice", request);
        await h.SettleAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(31));

        var job = await h.Get("doomed");
        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains("simulated failure", job.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_CompletionEventLost_ReconciliationHealsItAndStartsTheNextJob()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1 });
        using var repairs = RepairCollector(h);
        await h.SubmitAsync("first", 1, seconds: 60);
        await h.SubmitAsync("second", 1, seconds: 60);
        await h.SettleAsync();
        await h.Reconciler.RunOnceAsync();
        Assert.Empty(repairs.GetMeasurementSnapshot());

        h.Time.Advance(TimeSpan.FromSeconds(61));
        while (h.Simulated.StateChanges.TryRead(out _))
        {
            // The EventBridge event is lost.
        }

        await h.SettleAsync();
        Assert.Equal(JobState.Running, await h.StateOf("first"));

        Assert.Equal(1, await h.Reconciler.RunOnceAsync());
        await h.SettleAsync();
        Assert.Equal(JobState.Completed, await h.StateOf("first"));
        Assert.Equal(JobState.Running, await h.StateOf("second"));
        var repair = Assert.Single(repairs.GetMeasurementSnapshot());
        Assert.Equal((1L, TestJobs.P5, "completed"), (repair.Value, repair.Tags[QueueMetrics.PoolTag], repair.Tags[QueueMetrics.RepairTag]));
    }

    [Fact]
    public async Task RunOnceAsync_EventLandsWhileSageMakerIsAsked_CountsNothingAsHealed()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1 });
        using var repairs = RepairCollector(h);
        await h.SubmitAsync("first", 1, seconds: 60);
        await h.SettleAsync();
        h.Time.Advance(TimeSpan.FromSeconds(61));
        h.Backend.DuringDescribe = async () =>
        {
            while (h.Simulated.StateChanges.TryRead(out var change))
            {
                await h.Processor.HandleAsync(change);
            }
        };

        Assert.Equal(0, await h.Reconciler.RunOnceAsync());
        Assert.Equal(JobState.Completed, await h.StateOf("first"));
        Assert.Empty(repairs.GetMeasurementSnapshot());
    }

    /// <summary>Listens to <c>queuedtraining.reconciliation.repairs</c> on the harness's own meter factory.</summary>
    private static MetricCollector<long> RepairCollector(SchedulerHarness h) =>
        new(h.Services.GetRequiredService<IMeterFactory>(), QueueMetrics.MeterName, "queuedtraining.reconciliation.repairs");

    [Fact]
    public async Task HandleAsync_DuplicateEvents_ApplyOnce()
    {
        await using var h = new SchedulerHarness();
        await h.SubmitAsync("job", 1, seconds: 10);
        await h.SettleAsync();
        var attempt = (await h.Get("job")).CurrentAttemptName!;
        var completed = new TrainingJobStateChange(attempt, TrainingJobStatus.Completed, "Completed", null, h.Time.GetUtcNow());

        Assert.Equal(JobState.Completed, await h.Processor.HandleAsync(completed));
        var version = (await h.Get("job")).Version;
        Assert.Equal(JobState.Completed, await h.Processor.HandleAsync(completed));
        Assert.Equal(version, (await h.Get("job")).Version);
    }

    [Fact]
    public async Task RunPassAsync_StaleLease_CommitsNothing()
    {
        await using var h = new SchedulerHarness();
        await h.SubmitAsync("job", 1);
        var stale = await h.Store.TryAcquireLeaseAsync("replica-1", h.Time.GetUtcNow(), TimeSpan.FromSeconds(10));
        await h.Store.TryAcquireLeaseAsync("replica-2", h.Time.GetUtcNow().AddSeconds(11), TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<LeaseLostException>(() => h.Scheduler.RunPassAsync(stale));

        Assert.Equal(JobState.Pending, await h.StateOf("job"));
        Assert.Equal(0, h.Backend.CreateCalls);
    }

    [Fact]
    public async Task RunPassAsync_LongJobName_AttemptNamesAreUniqueValidAndUserNameStays()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1 });
        var longName = new string('a', 60) + "-xyz";
        await h.SubmitAsync(longName[..63], 1);
        await h.SettleAsync();
        await h.SubmitAsync("urgent", 5, seconds: 10);
        await h.SettleAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(5));
        await h.AdvanceAsync(TimeSpan.FromSeconds(11));

        var job = await h.Get(longName[..63]);
        Assert.True(job.State == JobState.Running, string.Join(" | ", job.History.Select(e => $"{e.State}: {e.Reason}")));
        Assert.Equal(2, job.Attempts.Count);
        Assert.All(job.Attempts, a => Assert.Matches("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", a.SageMakerJobName));
        Assert.Equal(2, job.Attempts.Select(a => a.SageMakerJobName).Distinct().Count());
    }

    [Fact]
    public async Task RunPassAsync_StaleClaimRefusedAgainAndAgain_RetriesOncePerReconcileInterval()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1 });
        var job = await h.SubmitAsync("claimed", 1);
        await ClaimAsIfByAPausedReplicaAsync(h, job);
        for (var i = 0; i < 2; i++)
        {
            h.Backend.CreateFaults.Enqueue(_ => new SageMakerResourceLimitExceededException("The account-level service limit is 0 Instances"));
        }

        var callsAfterEachInterval = new List<int>();
        for (var interval = 0; interval < 2; interval++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(31));
            await h.Scheduler.RunPassAsync(null);
            await h.Scheduler.RunPassAsync(null);
            callsAfterEachInterval.Add(h.Backend.CreateCalls);
        }

        // One Create per interval however many passes run in it; before, a second refusal retried on every pass.
        Assert.Equal([1, 2], callsAfterEachInterval);
        Assert.Equal(JobState.Starting, await h.StateOf("claimed"));
    }

    [Fact]
    public async Task RunPassAsync_ClaimWhoseCreateNeverArrived_IsCreatedAgainNotRequeuedAndKeepsItsInstances()
    {
        await using var h = new SchedulerHarness(new() { [TestJobs.P5] = 1 });
        var job = await h.SubmitAsync("claimed", 1);
        var attempt = await ClaimAsIfByAPausedReplicaAsync(h, job);
        await h.SubmitAsync("other", 0);

        await h.Reconciler.RunOnceAsync();
        await h.SettleAsync();
        Assert.Equal(JobState.Starting, await h.StateOf("claimed"));
        Assert.Equal(JobState.Pending, await h.StateOf("other"));

        await h.AdvanceAsync(TimeSpan.FromSeconds(31));
        await h.Reconciler.RunOnceAsync();
        var claimed = await h.Get("claimed");
        Assert.Equal(JobState.Running, claimed.State);
        Assert.Equal(attempt.SageMakerJobName, Assert.Single(claimed.Attempts).SageMakerJobName);
        Assert.Equal(JobState.Pending, await h.StateOf("other"));

        // The paused replica's own Create arrives late: it finds the attempt and no second job starts.
        await Assert.ThrowsAsync<SageMakerResourceInUseException>(() => h.Simulated.CreateTrainingJobAsync(TestJobs.Request(attempt.SageMakerJobName, 1)));
        Assert.Equal(1, h.Simulated.ActiveJobCount);
    }

    [Fact]
    public async Task RunPassAsync_RefusedStartAfterLeaseLost_DoesNotFreeTheInstances()
    {
        await using var h = new SchedulerHarness();
        await h.SubmitAsync("job", 1);
        var lease = await h.Store.TryAcquireLeaseAsync("replica-1", h.Time.GetUtcNow(), TimeSpan.FromSeconds(10));
        h.Backend.CreateFaults.Enqueue(_ =>
        {
            // The lease moves on while this replica's Create is in flight, and SageMaker refuses it.
            h.Store.TryAcquireLeaseAsync("replica-2", h.Time.GetUtcNow().AddSeconds(11), TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            return new SageMakerThrottlingException("ThrottlingException", "Rate exceeded");
        });

        await Assert.ThrowsAsync<LeaseLostException>(() => h.Scheduler.RunPassAsync(lease));

        Assert.Equal(JobState.Starting, await h.StateOf("job"));
    }

    /// <summary>Leaves <paramref name="job"/> claimed (Starting, attempt 1) as a replica that paused before its Create would.</summary>
    private static async Task<Jobs.JobAttempt> ClaimAsIfByAPausedReplicaAsync(SchedulerHarness h, Jobs.QueuedJob job)
    {
        var attempt = new Jobs.JobAttempt(1, Jobs.AttemptNames.Create(job.Name, 1, job.EnqueuedAt), h.Time.GetUtcNow());
        await h.Store.TryUpdateAsync(job, JobLifecycle.Move(job with { Attempts = [attempt] }, JobEvent.StartClaimed, "claimed by a replica that then paused", h.Time.GetUtcNow()));
        return attempt;
    }
}
