using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>A SQLite file in a folder of its own, deleted with the folder when disposed.</summary>
internal sealed class TemporaryDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qt-sqlite-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "jobs.db");

    /// <summary>Store options for this file; every store opened with them shares it.</summary>
    public IOptions<SqliteJobStoreOptions> StoreOptions => Options.Create(new SqliteJobStoreOptions { Path = Path });

    public void Dispose()
    {
        // Pooled connections keep the file open; the folder can only go once they are closed.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
