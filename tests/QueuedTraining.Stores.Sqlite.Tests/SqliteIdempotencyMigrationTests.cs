using Microsoft.Data.Sqlite;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>A database written while idempotency keys were checked outside the write may hold one key on several jobs.</summary>
public sealed class SqliteIdempotencyMigrationTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    [Fact]
    public async Task Open_DatabaseWithOneKeyOnTwoJobs_KeepsItOnTheOldestAndEnforcesItFromThenOn()
    {
        await using (var store = new SqliteJobStore(_database.StoreOptions))
        {
            await store.AddAsync(TestJobs.Job("job-a", owner: "alice", idempotencyKey: "k1"));
            await store.AddAsync(TestJobs.Job("job-b", owner: "alice"));
        }

        // As the earlier schema allowed: a plain index, and the race's second job holding the same key.
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={_database.Path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                DROP INDEX jobs_idempotency_unique;
                CREATE INDEX jobs_idempotency ON jobs (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
                UPDATE jobs SET idempotency_key = 'k1' WHERE name = 'job-b';
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        await using var reopened = new SqliteJobStore(_database.StoreOptions);

        Assert.Equal("job-a", (await reopened.FindByIdempotencyKeyAsync("alice", "k1"))?.Name);
        var third = await reopened.AddAsync(TestJobs.Job("job-c", owner: "alice", idempotencyKey: "k1"));
        Assert.False(third.Added);
        Assert.Equal("job-a", third.Job.Name);
        Assert.NotNull(await reopened.GetAsync("job-b"));
    }

    public void Dispose() => _database.Dispose();
}
