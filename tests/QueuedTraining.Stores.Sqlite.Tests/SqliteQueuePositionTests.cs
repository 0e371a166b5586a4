using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>
/// Queue positions come from per-priority counts kept by triggers plus a count from the nearer side within
/// one priority; each is checked here against counting the rows one by one.
/// </summary>
public sealed class SqliteQueuePositionTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    private IOptions<SqliteJobStoreOptions> Options => _database.StoreOptions;

    [Fact]
    public async Task CountWaitingAheadAsync_MixedPrioritiesAndStates_MatchesRowByRowCount()
    {
        await using var store = new SqliteJobStore(Options);
        await AddMixedQueueAsync(store);

        await AssertEveryPositionAsync(store);
    }

    [Fact]
    public async Task CountWaitingAheadAsync_ThousandsOfOnePriorityOnBothSides_MatchesIndex()
    {
        // More rows behind and ahead than the single-statement count (1,024) and the first limits of the long way.
        await using var store = new SqliteJobStore(Options);
        var jobs = Enumerable.Range(0, 2600).Select(i => TestJobs.Job($"deep-{i:D4}", priority: 4, enqueuedAt: TestJobs.Epoch.AddSeconds(i))).ToList();
        await Task.WhenAll(jobs.Select(job => store.AddAsync(job)));
        await store.AddAsync(TestJobs.Job("higher", priority: 8));

        foreach (var index in new[] { 0, 63, 64, 1023, 1024, 1300, 2599 })
        {
            var job = await store.GetAsync(jobs[index].Name);
            Assert.Equal(index + 1, await store.CountWaitingAheadAsync(job!));
        }
    }

    [Fact]
    public async Task CountWaitingAheadAsync_JobsStartResumeAndChangePriority_CountsFollow()
    {
        await using var store = new SqliteJobStore(Options);
        await AddMixedQueueAsync(store);
        var now = TestJobs.Epoch.AddHours(1);

        foreach (var name in new[] { "p3-000", "p3-017", "p7-004", "p1-002" })
        {
            var job = (await store.GetAsync(name))!;
            Assert.True((await store.TryUpdateAsync(job, JobLifecycle.Move(JobLifecycle.Move(job, JobEvent.StartClaimed, "claimed", now), JobEvent.StartConfirmed, "started", now))).Succeeded);
        }

        var resumed = (await store.GetAsync("p3-017"))!;
        Assert.True((await store.TryUpdateAsync(resumed, JobLifecycle.Move(JobLifecycle.Move(resumed, JobEvent.PreemptRequested, "preempting", now), JobEvent.AttemptStopped, "preempted", now))).Succeeded);
        var moved = (await store.GetAsync("p3-030"))!;
        Assert.True((await store.TryUpdateAsync(moved, moved with { Priority = 9 })).Succeeded);

        await AssertEveryPositionAsync(store);
    }

    [Fact]
    public async Task Open_DatabaseMadeBeforePositionCounts_BackfillsThem()
    {
        await using (var store = new SqliteJobStore(Options))
        {
            await AddMixedQueueAsync(store);
        }

        // What a database written by the previous schema looks like: no counts table, no triggers.
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TRIGGER jobs_waiting_added; DROP TRIGGER jobs_waiting_removed;
                DROP TRIGGER jobs_waiting_left; DROP TRIGGER jobs_waiting_joined;
                DROP TABLE waiting_counts;
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        await using var reopened = new SqliteJobStore(Options);

        await AssertEveryPositionAsync(reopened);
    }

    public void Dispose() => _database.Dispose();

    /// <summary>A queue of mixed priorities, states and pools, with more jobs of one priority than the long way's first limit (64).</summary>
    private static async Task AddMixedQueueAsync(SqliteJobStore store)
    {
        var jobs = new List<QueuedJob>();
        var t = TestJobs.Epoch;
        for (var i = 0; i < 150; i++)
        {
            jobs.Add(TestJobs.Job($"p3-{i:D3}", priority: 3, enqueuedAt: t.AddSeconds(i)));
        }

        for (var i = 0; i < 9; i++)
        {
            jobs.Add(TestJobs.Job($"p7-{i:D3}", priority: 7, enqueuedAt: t.AddSeconds(100 + i)));
            jobs.Add(TestJobs.Job($"p1-{i:D3}", priority: 1, enqueuedAt: t.AddSeconds(i)));
            jobs.Add(TestJobs.Job($"neg-{i:D3}", priority: -5, enqueuedAt: t.AddSeconds(i)));
            jobs.Add(TestJobs.Job($"other-{i:D3}", priority: 3, instanceType: TestJobs.G5, enqueuedAt: t.AddSeconds(i)));
        }

        jobs.Add(TestJobs.Job("running", priority: 9, state: JobState.Running));
        jobs.Add(TestJobs.Job("preempted", priority: 3, state: JobState.Preempted, enqueuedAt: t.AddSeconds(20.5)));
        foreach (var job in jobs)
        {
            Assert.True((await store.AddAsync(job)).Added);
        }
    }

    private static async Task AssertEveryPositionAsync(SqliteJobStore store)
    {
        foreach (var pool in new[] { TestJobs.P5, TestJobs.G5 })
        {
            var waiting = await store.GetWaitingAsync(pool, 1000);
            for (var i = 0; i < waiting.Count; i++)
            {
                Assert.True(i == await store.CountWaitingAheadAsync(waiting[i]), $"{waiting[i].Name} is at index {i} of {pool}");
            }
        }
    }
}
