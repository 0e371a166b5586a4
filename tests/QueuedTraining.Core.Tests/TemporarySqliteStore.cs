using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using QueuedTraining.Stores.Sqlite;

namespace QueuedTraining.Core.Tests;

/// <summary>A real SQLite job store in a folder of its own, deleted with the folder when disposed.</summary>
internal sealed class TemporarySqliteStore : IAsyncDisposable
{
    private readonly string _folder;

    public TemporarySqliteStore(string prefix)
    {
        _folder = Directory.CreateTempSubdirectory(prefix).FullName;
        Store = new SqliteJobStore(Options.Create(new SqliteJobStoreOptions { Path = Path.Combine(_folder, "jobs.db") }));
    }

    public SqliteJobStore Store { get; }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();

        // Pooled connections keep the file open; the folder can only go once they are closed.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
