using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Storage;
using QueuedTraining.Stores.Sqlite;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

#pragma warning disable CA1001 // xunit disposes it through IAsyncLifetime.
public sealed class JobStoreExtensionsTests : IAsyncLifetime
{
    private readonly TemporarySqliteStore _database = new("qt-update-");

    private SqliteJobStore Store => _database.Store;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task UpdateAsync_FromAJobThatChangedSince_AppliesTheChangeToTheCurrentJob()
    {
        await Store.AddAsync(TestJobs.Job("a", priority: 1));
        var stale = (await Store.GetAsync("a"))!;
        Assert.True((await Store.TryUpdateAsync(stale, stale with { Priority = 5 })).Succeeded);

        var change = await Store.UpdateAsync(stale, j => JobLifecycle.Move(j, JobEvent.Cancelled, "cancelled", TestJobs.Epoch));

        Assert.NotNull(change);
        Assert.True(change.Changed);
        Assert.Equal(5, change.Before.Priority);
        var stored = (await Store.GetAsync("a"))!;
        Assert.Equal((JobState.Cancelled, 5, stale.Version + 2), (stored.State, stored.Priority, stored.Version));
    }

    [Fact]
    public async Task UpdateAsync_ChangeDeclines_WritesNothing()
    {
        await Store.AddAsync(TestJobs.Job("a"));
        var job = (await Store.GetAsync("a"))!;

        var change = await Store.UpdateAsync(job, _ => null);

        Assert.False(change!.Changed);
        Assert.Equal(job.Version, (await Store.GetAsync("a"))!.Version);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
