using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Stores.Sqlite;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

#pragma warning disable CA1001 // xunit disposes it through IAsyncLifetime.
/// <summary>A pool's line kept from the change log reads exactly as the store's own waiting index does.</summary>
public sealed class WaitingLinesTests : IAsyncLifetime
{
    private readonly TemporarySqliteStore _database = new("qt-lines-");

    private SqliteJobStore Store => _database.Store;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 1_000)]
    [InlineData(3, 1_000)]
    [InlineData(4, 12)]
    [InlineData(5, 12)]
    public async Task ReadAsync_RandomSubmissionsStartsPreemptionsAndPriorityChanges_ReadsWhatTheStoreReads(int seed, int depth)
    {
        var random = new Random(seed);
        var lines = new WaitingLines();
        var now = TestJobs.Epoch;
        var names = new List<string>();
        for (var step = 0; step < 300; step++)
        {
            // Mostly seconds apart, now and then longer than the whole-read interval.
            now += random.Next(50) == 0 ? WaitingLines.RereadAfter : TimeSpan.FromMilliseconds(random.Next(1, 3_000));
            await ChangeOneAsync(random, names, now);
            if (random.Next(4) == 0)
            {
                var expected = await Store.GetWaitingAsync(TestJobs.P5, depth);
                var read = await lines.ReadAsync(Store, TestJobs.P5, depth, now, CancellationToken.None);

                Assert.Equal(expected.Select(j => (j.Name, j.Version)), read.Select(j => (j.Name, j.Version)));
            }
        }
    }

    private async Task ChangeOneAsync(Random random, List<string> names, DateTimeOffset now)
    {
        if (names.Count == 0 || random.Next(3) == 0)
        {
            var name = $"job-{names.Count:D4}";
            names.Add(name);
            var pool = random.Next(4) == 0 ? TestJobs.G5 : TestJobs.P5;
            await Store.AddAsync(TestJobs.Job(name, random.Next(5), instanceType: pool, enqueuedAt: now));
            return;
        }

        var current = (await Store.GetAsync(names[random.Next(names.Count)]))!;
        if (current.State.IsTerminal())
        {
            return;
        }

        var next = random.Next(4) switch
        {
            0 => current with { Priority = random.Next(5) },
            1 when current.State.IsWaiting() => current with { State = JobState.Running },
            1 or 2 when current.State == JobState.Running => current with { State = JobState.Preempted },
            3 when current.State == JobState.Running => current with { State = JobState.Completed, EndedAt = now },
            _ => current with { Priority = current.Priority + 1 },
        };
        var result = await Store.TryUpdateAsync(current, next with { UpdatedAt = now });
        Assert.True(result.Succeeded);
    }
}
