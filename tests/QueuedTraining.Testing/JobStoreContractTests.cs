using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;
using Xunit;

namespace QueuedTraining.Testing;

/// <summary>
/// What every <see cref="IJobStore"/> must do. A store's test class inherits this and supplies a fresh,
/// empty store per test; the scheduler relies on nothing that is not asserted here.
/// </summary>
public abstract class JobStoreContractTests : IAsyncLifetime
{
    private IJobStore? _store;

    /// <summary>The store under test (fresh and empty for each test).</summary>
    protected IJobStore Store => _store ?? throw new InvalidOperationException("The store is not created yet.");

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<IJobStore> CreateStoreAsync();

    /// <summary>Releases the store.</summary>
    protected virtual Task DisposeStoreAsync(IJobStore store) =>
        store is IAsyncDisposable disposable ? disposable.DisposeAsync().AsTask() : Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => _store is null ? Task.CompletedTask : DisposeStoreAsync(_store);

    [Fact]
    public async Task AddAsync_NewJob_IsReadBackWithEveryMember()
    {
        var job = TestJobs.Job("job-a", priority: 7, idempotencyKey: "key-1") with
        {
            Team = "vision",
            Reason = "waiting for capacity",
            NotBefore = TestJobs.Epoch.AddMinutes(3),
            StartFailures = 2,
            Attempts = [new JobAttempt(1, "job-a-q1-abcd", TestJobs.Epoch, TestJobs.Epoch.AddMinutes(1), "Stopped", "preempted")],
            History = [new JobHistoryEntry(TestJobs.Epoch, JobState.Pending, "submitted")],
        };

        var added = await Store.AddAsync(job);
        var read = await Store.GetAsync("job-a");

        Assert.True(added.Added);
        Assert.NotNull(read);
        Assert.Equal(job with { Version = read.Version }, read with { Attempts = job.Attempts, History = job.History });
        Assert.Equal(job.Attempts, read.Attempts);
        Assert.Equal(job.History, read.History);
        Assert.Equal(job.RequestJson, read.RequestJson);
        Assert.Equal(added.Job.Version, read.Version);
    }

    [Fact]
    public async Task AddAsync_NameTaken_KeepsFirstJobAndReturnsIt()
    {
        await Store.AddAsync(TestJobs.Job("job-a", priority: 1));

        var second = await Store.AddAsync(TestJobs.Job("job-a", priority: 9));

        Assert.False(second.Added);
        Assert.Equal(1, second.Job.Priority);
        Assert.Equal(1, (await Store.GetAsync("job-a"))!.Priority);
    }

    [Fact]
    public async Task AddAsync_OwnersIdempotencyKeyTakenUnderAnotherName_AddsNothingAndReturnsTheHolder()
    {
        await Store.AddAsync(TestJobs.Job("job-a", owner: "alice", idempotencyKey: "k1"));

        var second = await Store.AddAsync(TestJobs.Job("job-b", owner: "alice", idempotencyKey: "k1"));
        var otherOwner = await Store.AddAsync(TestJobs.Job("job-c", owner: "bob", idempotencyKey: "k1"));

        Assert.False(second.Added);
        Assert.Equal("job-a", second.Job.Name);
        Assert.Null(await Store.GetAsync("job-b"));
        Assert.True(otherOwner.Added);
    }

    [Fact]
    public async Task AddAsync_ConcurrentSubmissionsSharingOneKey_StoresExactlyOne()
    {
        var names = Enumerable.Range(0, 8).Select(i => $"racer-{i}").ToList();

        var results = await Task.WhenAll(names.Select(name => Task.Run(() => Store.AddAsync(TestJobs.Job(name, owner: "alice", idempotencyKey: "shared")))));

        var winner = Assert.Single(results, r => r.Added);
        Assert.All(results, r => Assert.Equal(winner.Job.Name, r.Job.Name));
        var stored = new List<string>();
        foreach (var name in names)
        {
            if (await Store.GetAsync(name) is not null)
            {
                stored.Add(name);
            }
        }

        Assert.Equal([winner.Job.Name], stored);
    }

    [Fact]
    public async Task GetChangedAfterAsync_JobsChangedAtDifferentTimes_ReturnsThoseAfterTheKeyInChangeOrder()
    {
        // Near the present: a store may walk time partitions from the key to now (DynamoDB's hours).
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var log = Assert.IsAssignableFrom<IJobChangeLog>(Store);
        await Store.AddAsync(TestJobs.Job("job-old") with { UpdatedAt = now.AddMinutes(-3) });
        var moved = (await Store.AddAsync(TestJobs.Job("job-moved") with { UpdatedAt = now.AddMinutes(-2) })).Job;
        await Store.AddAsync(TestJobs.Job("job-new") with { UpdatedAt = now.AddMinutes(-1) });
        await Store.TryUpdateAsync(moved, moved with { Priority = 9, UpdatedAt = now });

        var changed = await log.GetChangedAfterAsync(JobChangeKey.At(now.AddMinutes(-2.5), string.Empty), limit: 10);
        var first = await log.GetChangedAfterAsync(JobChangeKey.At(now.AddMinutes(-2.5), string.Empty), limit: 1);

        Assert.Equal(["job-new", "job-moved"], changed.Select(j => j.Name));
        Assert.Equal(9, changed[1].Priority);
        Assert.Equal(["job-new"], first.Select(j => j.Name));
    }

    [Fact]
    public async Task GetAsync_UnknownName_ReturnsNull() => Assert.Null(await Store.GetAsync("nope"));

    [Fact]
    public async Task TryUpdateAsync_CurrentVersion_WritesAndIncrementsVersion()
    {
        var job = (await Store.AddAsync(TestJobs.Job("job-a"))).Job;

        var result = await Store.TryUpdateAsync(job, job with { Priority = 5 });

        Assert.Equal(JobUpdateOutcome.Updated, result.Outcome);
        Assert.Equal(job.Version + 1, result.Job!.Version);
        var read = await Store.GetAsync("job-a");
        Assert.Equal(5, read!.Priority);
        Assert.Equal(result.Job.Version, read.Version);
    }

    [Fact]
    public async Task TryUpdateAsync_Deferred_IsVisibleAtOnceAndStillConditional()
    {
        var job = (await Store.AddAsync(TestJobs.Job("job-a"))).Job;

        var result = await Store.TryUpdateAsync(job, job with { State = JobState.Running }, durability: WriteDurability.Deferred);
        var stale = await Store.TryUpdateAsync(job, job with { Priority = 9 }, durability: WriteDurability.Deferred);

        Assert.Equal(JobUpdateOutcome.Updated, result.Outcome);
        Assert.Equal(JobUpdateOutcome.VersionConflict, stale.Outcome);
        Assert.Equal(["job-a"], (await Store.GetHoldingCapacityAsync(TestJobs.P5)).Select(j => j.Name));
    }

    [Fact]
    public async Task TryUpdateAsync_StaleVersion_ReturnsConflictAndKeepsNewerWrite()
    {
        var job = (await Store.AddAsync(TestJobs.Job("job-a"))).Job;
        await Store.TryUpdateAsync(job, job with { Priority = 5 });

        var stale = await Store.TryUpdateAsync(job, job with { Priority = 9 });

        Assert.Equal(JobUpdateOutcome.VersionConflict, stale.Outcome);
        Assert.Equal(5, (await Store.GetAsync("job-a"))!.Priority);
    }

    [Fact]
    public async Task TryUpdateAsync_ConcurrentWritersOfOneVersion_ExactlyOneWins()
    {
        var job = (await Store.AddAsync(TestJobs.Job("job-a"))).Job;

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(p => Store.TryUpdateAsync(job, job with { Priority = p })));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(JobUpdateOutcome.VersionConflict, r.Outcome));
    }

    [Fact]
    public async Task TryUpdateAsync_MissingJob_ReturnsNotFound()
    {
        var ghost = TestJobs.Job("ghost") with { Version = 1 };

        var result = await Store.TryUpdateAsync(ghost, ghost with { Priority = 1 });

        Assert.Equal(JobUpdateOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task GetWaitingAsync_MixedJobs_ReturnsPoolsWaitingJobsInQueueOrder()
    {
        var t = TestJobs.Epoch;
        await AddAll(
            TestJobs.Job("low-early", priority: 1, enqueuedAt: t),
            TestJobs.Job("high-late", priority: 5, enqueuedAt: t.AddSeconds(30)),
            TestJobs.Job("low-late", priority: 1, enqueuedAt: t.AddSeconds(20)),
            TestJobs.Job("preempted", priority: 1, state: JobState.Preempted, enqueuedAt: t.AddSeconds(10)),
            TestJobs.Job("negative", priority: -3, enqueuedAt: t),
            TestJobs.Job("running", priority: 9, state: JobState.Running, enqueuedAt: t),
            TestJobs.Job("done", priority: 9, state: JobState.Completed, enqueuedAt: t),
            TestJobs.Job("other-pool", priority: 9, instanceType: TestJobs.G5, enqueuedAt: t));

        var waiting = await Store.GetWaitingAsync(TestJobs.P5, 10);

        Assert.Equal(["high-late", "low-early", "preempted", "low-late", "negative"], waiting.Select(j => j.Name));
    }

    [Fact]
    public async Task GetWaitingAsync_Limit_ReturnsOnlyTheHead()
    {
        await AddAll(Enumerable.Range(0, 5).Select(i => TestJobs.Job($"job-{i}", priority: i)).ToArray());

        var waiting = await Store.GetWaitingAsync(TestJobs.P5, 2);

        Assert.Equal(["job-4", "job-3"], waiting.Select(j => j.Name));
    }

    [Fact]
    public async Task GetWaitingAsync_JobLeavesQueue_IsNoLongerReturned()
    {
        var job = (await Store.AddAsync(TestJobs.Job("job-a"))).Job;
        await Store.TryUpdateAsync(job, job with { State = JobState.Starting });

        Assert.Empty(await Store.GetWaitingAsync(TestJobs.P5, 10));
        Assert.Single(await Store.GetHoldingCapacityAsync(TestJobs.P5));
    }

    [Fact]
    public async Task GetHoldingCapacityAsync_MixedStates_ReturnsStartingRunningPreemptingStoppingOfPool()
    {
        await AddAll(
            TestJobs.Job("starting", state: JobState.Starting),
            TestJobs.Job("running", state: JobState.Running),
            TestJobs.Job("preempting", state: JobState.Preempting),
            TestJobs.Job("stopping", state: JobState.Stopping),
            TestJobs.Job("pending", state: JobState.Pending),
            TestJobs.Job("stopped", state: JobState.Stopped),
            TestJobs.Job("other", state: JobState.Running, instanceType: TestJobs.G5));

        var holding = await Store.GetHoldingCapacityAsync(TestJobs.P5);

        Assert.Equal(["preempting", "running", "starting", "stopping"], holding.Select(j => j.Name).Order());
    }

    [Fact]
    public async Task CountWaitingAheadAsync_QueueOfJobs_CountsOnlyJobsAheadInSamePool()
    {
        var t = TestJobs.Epoch;
        await AddAll(
            TestJobs.Job("first", priority: 5, enqueuedAt: t),
            TestJobs.Job("second", priority: 1, enqueuedAt: t),
            TestJobs.Job("third", priority: 1, enqueuedAt: t.AddSeconds(1)),
            TestJobs.Job("running", priority: 9, state: JobState.Running),
            TestJobs.Job("other", priority: 9, instanceType: TestJobs.G5));

        var third = await Store.GetAsync("third");
        var first = await Store.GetAsync("first");

        Assert.Equal(2, await Store.CountWaitingAheadAsync(third!));
        Assert.Equal(0, await Store.CountWaitingAheadAsync(first!));
    }

    [Fact]
    public async Task ListAsync_SmallPages_VisitsEveryJobOnceInQueueOrder()
    {
        var t = TestJobs.Epoch;
        await AddAll(Enumerable.Range(0, 7).Select(i => TestJobs.Job($"job-{i}", priority: i % 3, enqueuedAt: t.AddSeconds(i))).ToArray());
        var expected = new[] { "job-2", "job-5", "job-1", "job-4", "job-0", "job-3", "job-6" };

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.ListAsync(new JobListQuery(null, 3, token));
            seen.AddRange(page.Jobs.Select(j => j.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ListAsync_StateFilter_ReturnsOnlyThatState()
    {
        await AddAll(
            TestJobs.Job("pending", state: JobState.Pending),
            TestJobs.Job("running", state: JobState.Running),
            TestJobs.Job("done", state: JobState.Completed));

        var page = await Store.ListAsync(new JobListQuery(JobState.Running, 10));

        Assert.Equal(["running"], page.Jobs.Select(j => j.Name));
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task ListAsync_FinishedJobs_ComeAfterUnfinishedNewestEndFirst()
    {
        var t = TestJobs.Epoch;
        await AddAll(
            Finished("done-early", priority: 900, endedAt: t.AddMinutes(1)),
            TestJobs.Job("waiting-low", priority: 1, enqueuedAt: t),
            Finished("done-late", priority: 0, endedAt: t.AddMinutes(5)),
            TestJobs.Job("running-high", priority: 50, state: JobState.Running, enqueuedAt: t),
            Finished("failed-middle", priority: 10, endedAt: t.AddMinutes(3), state: JobState.Failed));

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await Store.ListAsync(new JobListQuery(null, 2, token));
            seen.AddRange(page.Jobs.Select(j => j.Name));
            token = page.NextPageToken;
        }
        while (token is not null && seen.Count < 10);

        Assert.Equal(["running-high", "waiting-low", "done-late", "failed-middle", "done-early"], seen);
    }

    [Fact]
    public async Task RemoveFinishedAsync_RemovesOnlyFinishedJobsEndedBeforeTheCutoffWithTheirKeys()
    {
        var t = TestJobs.Epoch;
        await AddAll(
            Finished("old-1", endedAt: t.AddDays(-40), idempotencyKey: "key-old"),
            Finished("old-2", endedAt: t.AddDays(-31), state: JobState.Cancelled),
            Finished("recent", endedAt: t.AddDays(-1)),
            TestJobs.Job("waiting-old", enqueuedAt: t.AddDays(-60)),
            TestJobs.Job("running-old", state: JobState.Running, enqueuedAt: t.AddDays(-60)));

        var removed = await Store.RemoveFinishedAsync(t.AddDays(-30), limit: 10);

        Assert.Equal(2, removed);
        Assert.Null(await Store.GetAsync("old-1"));
        Assert.Null(await Store.GetAsync("old-2"));
        Assert.NotNull(await Store.GetAsync("recent"));
        Assert.NotNull(await Store.GetAsync("waiting-old"));
        Assert.NotNull(await Store.GetAsync("running-old"));
        Assert.Null(await Store.FindByIdempotencyKeyAsync("alice", "key-old"));

        // The freed key takes a new job.
        Assert.True((await Store.AddAsync(TestJobs.Job("again", idempotencyKey: "key-old"))).Added);
    }

    [Fact]
    public async Task RemoveFinishedAsync_Limit_TakesTheOldestFirst()
    {
        var t = TestJobs.Epoch;
        await AddAll(Enumerable.Range(1, 5).Select(i => Finished($"done-{i}", endedAt: t.AddDays(-10 * i))).ToArray());

        Assert.Equal(2, await Store.RemoveFinishedAsync(t, limit: 2));

        Assert.Null(await Store.GetAsync("done-5"));
        Assert.Null(await Store.GetAsync("done-4"));
        Assert.NotNull(await Store.GetAsync("done-3"));
    }

    private static QueuedJob Finished(string name, DateTimeOffset endedAt, int priority = 0, JobState state = JobState.Completed, string? idempotencyKey = null) =>
        TestJobs.Job(name, priority, state, enqueuedAt: endedAt.AddHours(-2), idempotencyKey: idempotencyKey) with { EndedAt = endedAt, UpdatedAt = endedAt };

    [Fact]
    public async Task ListAsync_ForeignToken_ThrowsInvalidPageToken() =>
        await Assert.ThrowsAsync<InvalidPageTokenException>(() => Store.ListAsync(new JobListQuery(null, 10, "not-a-token!")));

    [Fact]
    public async Task FindByAttemptNameAsync_CurrentAttempt_FindsJobAndOlderAttemptDoesNot()
    {
        var job = (await Store.AddAsync(TestJobs.Job("job-a"))).Job;
        var first = job with { State = JobState.Running, Attempts = [new JobAttempt(1, "job-a-q1", TestJobs.Epoch)] };
        first = (await Store.TryUpdateAsync(job, first)).Job!;
        var second = first with { Attempts = first.Attempts.Add(new JobAttempt(2, "job-a-q2", TestJobs.Epoch)) };
        await Store.TryUpdateAsync(first, second);

        Assert.Equal("job-a", (await Store.FindByAttemptNameAsync("job-a-q2"))?.Name);
        Assert.Null(await Store.FindByAttemptNameAsync("job-a-q1"));
    }

    [Fact]
    public async Task FindByIdempotencyKeyAsync_KeyOfOwner_FindsJobOnlyForThatOwner()
    {
        await Store.AddAsync(TestJobs.Job("job-a", owner: "alice", idempotencyKey: "k1"));

        Assert.Equal("job-a", (await Store.FindByIdempotencyKeyAsync("alice", "k1"))?.Name);
        Assert.Null(await Store.FindByIdempotencyKeyAsync("bob", "k1"));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByOther_IsRefusedUntilExpiryThenFencesTheOld()
    {
        var t = TestJobs.Epoch;
        var first = await Store.TryAcquireLeaseAsync("replica-1", t, TimeSpan.FromSeconds(10));
        var refused = await Store.TryAcquireLeaseAsync("replica-2", t.AddSeconds(5), TimeSpan.FromSeconds(10));
        var renewed = await Store.TryAcquireLeaseAsync("replica-1", t.AddSeconds(6), TimeSpan.FromSeconds(10));
        var taken = await Store.TryAcquireLeaseAsync("replica-2", t.AddSeconds(17), TimeSpan.FromSeconds(10));

        Assert.NotNull(first);
        Assert.Null(refused);
        Assert.Equal(first.Token, renewed!.Token);
        Assert.Equal(t.AddSeconds(16), renewed.ExpiresAt);
        Assert.True(taken!.Token > first.Token);
    }

    [Fact]
    public async Task TryUpdateAsync_FenceOfReplacedLease_IsRejectedAndWritesNothing()
    {
        var t = TestJobs.Epoch;
        var job = (await Store.AddAsync(TestJobs.Job("job-a"))).Job;
        var old = await Store.TryAcquireLeaseAsync("replica-1", t, TimeSpan.FromSeconds(10));
        var current = await Store.TryAcquireLeaseAsync("replica-2", t.AddSeconds(11), TimeSpan.FromSeconds(10));

        var stale = await Store.TryUpdateAsync(job, job with { State = JobState.Starting }, old);
        var fresh = await Store.TryUpdateAsync(job, job with { State = JobState.Starting }, current);

        Assert.Equal(JobUpdateOutcome.FenceRejected, stale.Outcome);
        Assert.Equal(JobUpdateOutcome.Updated, fresh.Outcome);
    }

    /// <summary>Adds jobs one by one.</summary>
    protected async Task AddAll(params QueuedJob[] jobs)
    {
        foreach (var job in jobs)
        {
            Assert.True((await Store.AddAsync(job)).Added);
        }
    }
}
