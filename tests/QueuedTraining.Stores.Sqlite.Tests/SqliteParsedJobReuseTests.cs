using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Storage;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>Parsed jobs are reused between reads while their version is unchanged; a change is always seen.</summary>
public sealed class SqliteParsedJobReuseTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    private IOptions<SqliteJobStoreOptions> StoreOptions => _database.StoreOptions;

    [Fact]
    public async Task GetAsync_UnchangedJob_ReturnsTheSameParsedJob()
    {
        await using var store = new SqliteJobStore(StoreOptions);
        await store.AddAsync(TestJobs.Job("a"));

        Assert.Same(await store.GetAsync("a"), await store.GetAsync("a"));
    }

    [Fact]
    public async Task GetAsync_JobChangedThroughAnotherStoreOnTheSameFile_ReturnsTheNewVersion()
    {
        await using var reader = new SqliteJobStore(StoreOptions);
        await using var writer = new SqliteJobStore(StoreOptions);
        await writer.AddAsync(TestJobs.Job("a"));
        var before = await reader.GetAsync("a");

        Assert.True((await writer.TryUpdateAsync(before!, JobLifecycle.Move(before!, JobEvent.Cancelled, "cancelled", TestJobs.Epoch))).Succeeded);
        var after = await reader.GetAsync("a");

        Assert.Equal(JobState.Cancelled, after!.State);
        Assert.Equal(before!.Version + 1, after.Version);
    }

    [Fact]
    public async Task TryUpdateAsync_LosesToAnEarlierWrite_TheLosingContentIsNeverRead()
    {
        await using var store = new SqliteJobStore(StoreOptions);
        await store.AddAsync(TestJobs.Job("a"));
        var original = await store.GetAsync("a");
        Assert.True((await store.TryUpdateAsync(original!, JobLifecycle.Move(original!, JobEvent.Cancelled, "first", TestJobs.Epoch))).Succeeded);

        var lost = await store.TryUpdateAsync(original!, JobLifecycle.Move(original!, JobEvent.Cancelled, "second", TestJobs.Epoch));

        Assert.Equal(JobUpdateOutcome.VersionConflict, lost.Outcome);
        Assert.Equal("first", (await store.GetAsync("a"))!.Reason);
    }

    [Fact]
    public async Task GetHoldingCapacityAsync_JobChangesBetweenReads_ReturnsTheNewVersion()
    {
        await using var store = new SqliteJobStore(StoreOptions);
        await store.AddAsync(TestJobs.Job("a", state: JobState.Running));
        await store.AddAsync(TestJobs.Job("b", state: JobState.Running));
        var first = await store.GetHoldingCapacityAsync(TestJobs.P5);
        var a = first.Single(j => j.Name == "a");

        Assert.True((await store.TryUpdateAsync(a, JobLifecycle.Move(a, JobEvent.PreemptRequested, "preempted", TestJobs.Epoch))).Succeeded);
        var b = first.Single(j => j.Name == "b");
        Assert.True((await store.TryUpdateAsync(b, JobLifecycle.Move(b, JobEvent.AttemptCompleted, "done", TestJobs.Epoch))).Succeeded);
        var second = await store.GetHoldingCapacityAsync(TestJobs.P5);

        var only = Assert.Single(second);
        Assert.Equal(JobState.Preempting, only.State);
        Assert.Equal(a.Version + 1, only.Version);
    }

    public void Dispose() => _database.Dispose();
}
