using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Storage;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>What the SQLite store keeps across being closed and opened again.</summary>
public sealed class SqliteJobStoreDurabilityTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public async Task AddAsync_StoreReopened_EveryAcknowledgedJobIsThere()
    {
        var options = _database.StoreOptions;
        await using (var store = new SqliteJobStore(options))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => store.AddAsync(TestJobs.Job($"job-{i}", priority: i % 4))));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var reopened = new SqliteJobStore(options);
        var waiting = await reopened.GetWaitingAsync(TestJobs.P5, 1000);

        Assert.Equal(200, waiting.Count);
        Assert.Equal(200, waiting.Select(j => j.Name).Distinct().Count());
    }

    [Fact]
    public async Task TryUpdateAsync_Deferred_IsInTheFileForAnotherStoreAndAfterReopening()
    {
        var options = _database.StoreOptions;
        await using (var store = new SqliteJobStore(options))
        {
            var job = (await store.AddAsync(TestJobs.Job("job-a"))).Job;
            await store.TryUpdateAsync(job, job with { State = JobState.Running }, durability: WriteDurability.Deferred);

            // Written to the WAL file (the operating system has it), not held back in this process.
            await using var other = new SqliteJobStore(options);
            Assert.Equal(JobState.Running, (await other.GetAsync("job-a"))!.State);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var reopened = new SqliteJobStore(options);
        Assert.Equal(JobState.Running, (await reopened.GetAsync("job-a"))!.State);
    }

    public void Dispose() => _database.Dispose();
}
