using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>Holding jobs are reused between reads while their version is unchanged; a change is always seen.</summary>
public sealed class SqliteHoldingReadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qt-sqlite-holding-").FullName;

    [Fact]
    public async Task GetHoldingCapacityAsync_JobChangesBetweenReads_ReturnsTheNewVersion()
    {
        await using var store = new SqliteJobStore(Options.Create(new SqliteJobStoreOptions { Path = Path.Combine(_folder, "jobs.db") }));
        await store.AddAsync(TestJobs.Job("a", state: JobState.Running));
        await store.AddAsync(TestJobs.Job("b", state: JobState.Running));
        var first = await store.GetHoldingCapacityAsync(TestJobs.P5);
        var a = first.Single(j => j.Name == "a");

        Assert.True((await store.TryUpdateAsync(a, a.TransitionTo(JobState.Preempting, "preempted", TestJobs.Epoch))).Succeeded);
        var b = first.Single(j => j.Name == "b");
        Assert.True((await store.TryUpdateAsync(b, b.TransitionTo(JobState.Completed, "done", TestJobs.Epoch))).Succeeded);
        var second = await store.GetHoldingCapacityAsync(TestJobs.P5);

        var only = Assert.Single(second);
        Assert.Equal(JobState.Preempting, only.State);
        Assert.Equal(a.Version + 1, only.Version);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
