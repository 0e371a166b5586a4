using QueuedTraining.Core.Storage;
using QueuedTraining.Testing;

namespace QueuedTraining.Stores.Sqlite.Tests;

/// <summary>The store contract on a real SQLite file in a temp folder.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed with the store, in DisposeStoreAsync, which the contract suite calls after every test.")]
public sealed class SqliteJobStoreContractTests : JobStoreContractTests
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<IJobStore> CreateStoreAsync() => Task.FromResult<IJobStore>(new SqliteJobStore(_database.StoreOptions));

    protected override async Task DisposeStoreAsync(IJobStore store)
    {
        await base.DisposeStoreAsync(store);
        _database.Dispose();
    }
}
