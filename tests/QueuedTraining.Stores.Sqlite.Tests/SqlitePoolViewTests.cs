using Microsoft.Data.Sqlite;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>
/// The holders and the head of each pool's waiting line are served from memory (<see cref="PoolViewCache"/>): whatever
/// the writes, they answer what the file holds, read here through a connection of the test's own.
/// </summary>
public sealed class SqlitePoolViewTests : IDisposable
{
    private const string G5 = "ml.g5.12xlarge";
    private static readonly JobState[] States =
        [JobState.Pending, JobState.Starting, JobState.Running, JobState.Preempting, JobState.Preempted, JobState.Stopping, JobState.Completed];

    private readonly TemporaryDatabase _database = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Reads_AfterRandomWrites_AnswerWhatTheFileHolds(int seed)
    {
        await using var store = new SqliteJobStore(_database.StoreOptions);
        var random = new Random(seed);
        var jobs = new List<string>();
        for (var step = 0; step < 1_500; step++)
        {
            // Mostly changes to known jobs, often many new ones at once, so that views fill, overflow and forget their tail.
            if (jobs.Count < 20 || random.Next(10) == 0)
            {
                var burst = random.Next(10) == 0 ? 400 : 1;
                for (var i = 0; i < burst; i++)
                {
                    var name = $"job-{jobs.Count:D5}";
                    jobs.Add(name);
                    var pool = random.Next(4) == 0 ? G5 : TestJobs.P5;
                    await store.AddAsync(TestJobs.Job(name, random.Next(10), instanceType: pool, enqueuedAt: TestJobs.Epoch.AddSeconds(random.Next(100_000))));
                }
            }
            else
            {
                var current = (await store.GetAsync(jobs[random.Next(jobs.Count)]))!;
                var updated = current with { State = States[random.Next(States.Length)], Priority = random.Next(3) == 0 ? random.Next(10) : current.Priority };
                Assert.True((await store.TryUpdateAsync(current, updated)).Succeeded);
            }

            if (step % 7 == 0)
            {
                var pool = random.Next(2) == 0 ? G5 : TestJobs.P5;
                await AssertViewsAnswerTheFileAsync(store, pool, limit: 1 + random.Next(100));
            }
        }

        await AssertViewsAnswerTheFileAsync(store, TestJobs.P5, limit: 64);
        await AssertViewsAnswerTheFileAsync(store, G5, limit: 256);
    }

    [Fact]
    public async Task Reads_AnotherStoreOnTheSameFileWrites_SeeItsChanges()
    {
        await using var reader = new SqliteJobStore(_database.StoreOptions);
        await using var writer = new SqliteJobStore(_database.StoreOptions);
        await writer.AddAsync(TestJobs.Job("a", priority: 1));
        await writer.AddAsync(TestJobs.Job("b", priority: 2));
        Assert.Equal(["b", "a"], (await reader.GetWaitingAsync(TestJobs.P5, 64)).Select(j => j.Name));
        Assert.Empty(await reader.GetHoldingCapacityAsync(TestJobs.P5));

        var b = (await writer.GetAsync("b"))!;
        Assert.True((await writer.TryUpdateAsync(b, b with { State = JobState.Running })).Succeeded);
        await writer.AddAsync(TestJobs.Job("c", priority: 3));

        Assert.Equal(["c", "a"], (await reader.GetWaitingAsync(TestJobs.P5, 64)).Select(j => j.Name));
        Assert.Equal(["b"], (await reader.GetHoldingCapacityAsync(TestJobs.P5)).Select(j => j.Name));
    }

    [Fact]
    public async Task Reads_WhileWritersRunConcurrently_EndAnsweringWhatTheFileHolds()
    {
        await using var store = new SqliteJobStore(_database.StoreOptions);
        for (var i = 0; i < 200; i++)
        {
            await store.AddAsync(TestJobs.Job($"job-{i:D3}", i % 7, enqueuedAt: TestJobs.Epoch.AddSeconds(i)));
        }

        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await store.GetWaitingAsync(TestJobs.P5, 64);
                await store.GetHoldingCapacityAsync(TestJobs.P5);
            }
        })).ToList();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var n = 0; n < 300; n++)
            {
                var current = (await store.GetAsync($"job-{random.Next(200):D3}"))!;
                await store.TryUpdateAsync(current, current with { State = States[random.Next(States.Length)] });
            }
        })).ToList();

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        await AssertViewsAnswerTheFileAsync(store, TestJobs.P5, limit: 64);
    }

    public void Dispose() => _database.Dispose();

    private async Task AssertViewsAnswerTheFileAsync(SqliteJobStore store, string pool, int limit)
    {
        var waiting = await store.GetWaitingAsync(pool, limit);
        var holding = await store.GetHoldingCapacityAsync(pool);

        Assert.Equal(
            ReadFile($"SELECT name, version FROM jobs WHERE waiting = 1 AND instance_type = $pool ORDER BY queue_key LIMIT {limit}", pool),
            waiting.Select(j => (j.Name, j.Version)));
        Assert.Equal(
            ReadFile("SELECT name, version FROM jobs WHERE holds_capacity = 1 AND instance_type = $pool ORDER BY name", pool),
            holding.Select(j => (j.Name, j.Version)).OrderBy(j => j.Name, StringComparer.Ordinal));
    }

    private List<(string Name, long Version)> ReadFile(string sql, string pool)
    {
        using var connection = new SqliteConnection($"Data Source={_database.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$pool", pool);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, long)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }
}
