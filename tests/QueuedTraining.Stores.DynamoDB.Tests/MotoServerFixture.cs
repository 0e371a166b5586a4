using Amazon.DynamoDBv2;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.DynamoDB.Tests;

/// <summary>The shared moto_server, plus fresh DynamoDB tables on it for each test.</summary>
public sealed class MotoServerFixture : MotoServer
{
    /// <summary>Store options for a table on this server, with dummy keys.</summary>
    public DynamoDBJobStoreOptions Options(string tableName) => new()
    {
        TableName = tableName,
        Region = "us-east-1",
        ServiceUrl = ServiceUrl,
        AccessKeyId = "testing",
        SecretAccessKey = "testing",
    };

    /// <summary>A client for this server; the caller disposes it.</summary>
    public IAmazonDynamoDB CreateClient() => DynamoDBClientFactory.Create(Options("unused"));

    /// <summary>Creates a fresh table with a unique name through the initializer and returns its name.</summary>
    public async Task<string> CreateTableAsync()
    {
        var name = "qt-" + Guid.NewGuid().ToString("N");
        using var client = CreateClient();
        await new DynamoDBTableInitializer(client, name) { PollInterval = TimeSpan.FromMilliseconds(50) }.CreateTableAsync();
        return name;
    }

    /// <summary>Drops a table so the server's memory stays small over the run.</summary>
    public async Task DeleteTableAsync(string name)
    {
        using var client = CreateClient();
        await client.DeleteTableAsync(name);
    }
}

/// <summary>Every test that needs moto_server shares one server.</summary>
[CollectionDefinition(Name)]
public sealed class MotoServerTests : ICollectionFixture<MotoServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "moto";
}
