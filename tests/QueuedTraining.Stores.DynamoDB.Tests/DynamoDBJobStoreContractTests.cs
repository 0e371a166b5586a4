using QueuedTraining.Core.Storage;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.DynamoDB.Tests;

/// <summary>The store contract on a real moto_server, each test on its own new table.</summary>
[Collection(MotoServerTests.Name)]
public sealed class DynamoDBJobStoreContractTests(MotoServerFixture moto) : JobStoreContractTests
{
    protected override async Task<IJobStore> CreateStoreAsync()
    {
        var table = await moto.CreateTableAsync();
        return new DynamoDBJobStore(moto.Options(table));
    }

    protected override async Task DisposeStoreAsync(IJobStore store)
    {
        var table = ((DynamoDBJobStore)store).TableName;
        await base.DisposeStoreAsync(store);
        await moto.DeleteTableAsync(table);
    }
}
