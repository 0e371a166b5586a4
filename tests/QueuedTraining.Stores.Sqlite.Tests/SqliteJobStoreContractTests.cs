using Microsoft.Extensions.Options;
using QueuedTraining.Core.Storage;
using QueuedTraining.Testing;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>The store contract on a real SQLite file in a temp folder.</summary>
public sealed class SqliteJobStoreContractTests : JobStoreContractTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("qt-sqlite-").FullName;

    protected override Task<IJobStore> CreateStoreAsync() =>
        Task.FromResult<IJobStore>(new SqliteJobStore(Options.Create(new SqliteJobStoreOptions { Path = Path.Combine(_folder, "jobs.db") })));

    protected override async Task DisposeStoreAsync(IJobStore store)
    {
        await base.DisposeStoreAsync(store);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
