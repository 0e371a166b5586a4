using Microsoft.Data.Sqlite;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>A database written before finished jobs had end-ordered keys lists them among the waiting ones until reopened.</summary>
public sealed class SqliteFinishedKeyMigrationTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public async Task Open_FinishedJobsWithQueueOrderKeys_GetEndOrderedKeysFromTheirLastChange()
    {
        var t = TestJobs.Epoch;
        await using (var store = new SqliteJobStore(_database.StoreOptions))
        {
            await store.AddAsync(TestJobs.Job("waiting", priority: 1, enqueuedAt: t));
            await store.AddAsync(TestJobs.Job("done-first", priority: 200, state: JobState.Completed, enqueuedAt: t) with { UpdatedAt = t.AddMinutes(1) });
            await store.AddAsync(TestJobs.Job("done-last", priority: 100, state: JobState.Failed, enqueuedAt: t) with { UpdatedAt = t.AddMinutes(9) });
        }

        // As the earlier version wrote them: every key in queue order, whatever the state.
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={_database.Path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                UPDATE jobs SET queue_key = '{QueueOrderKey.Create(200, t, "done-first")}' WHERE name = 'done-first';
                UPDATE jobs SET queue_key = '{QueueOrderKey.Create(100, t, "done-last")}' WHERE name = 'done-last';
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        await using var reopened = new SqliteJobStore(_database.StoreOptions);

        var page = await reopened.ListAsync(new JobListQuery(null, 10));
        Assert.Equal(["waiting", "done-last", "done-first"], page.Jobs.Select(j => j.Name));
        Assert.Equal(1, await reopened.RemoveFinishedAsync(t.AddMinutes(5), limit: 10));
        Assert.Null(await reopened.GetAsync("done-first"));
    }

    public void Dispose() => _database.Dispose();
}
