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
    private readonly string _folder = Directory.CreateTempSubdirectory("qt-update-").FullName;
    private SqliteJobStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new SqliteJobStore(Options.Create(new SqliteJobStoreOptions { Path = Path.Combine(_folder, "jobs.db") }));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task UpdateAsync_FromAJobThatChangedSince_AppliesTheChangeToTheCurrentJob()
    {
        await _store.AddAsync(TestJobs.Job("a", priority: 1));
        var stale = (await _store.GetAsync("a"))!;
        Assert.True((await _store.TryUpdateAsync(stale, stale with { Priority = 5 })).Succeeded);

        var change = await _store.UpdateAsync(stale, j => JobLifecycle.Move(j, JobEvent.Cancelled, "cancelled", TestJobs.Epoch));

        Assert.NotNull(change);
        Assert.True(change.Changed);
        Assert.Equal(5, change.Before.Priority);
        var stored = (await _store.GetAsync("a"))!;
        Assert.Equal((JobState.Cancelled, 5, stale.Version + 2), (stored.State, stored.Priority, stored.Version));
    }

    [Fact]
    public async Task UpdateAsync_ChangeDeclines_WritesNothing()
    {
        await _store.AddAsync(TestJobs.Job("a"));
        var job = (await _store.GetAsync("a"))!;

        var change = await _store.UpdateAsync(job, _ => null);

        Assert.False(change!.Changed);
        Assert.Equal(job.Version, (await _store.GetAsync("a"))!.Version);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
