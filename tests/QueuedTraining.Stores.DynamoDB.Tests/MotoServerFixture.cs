using Amazon.DynamoDBv2;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Stores.DynamoDB.Tests;

/// <summary>The shared moto_server, plus fresh DynamoDB tables on it for each test.</summary>
/// <remarks>
/// Stores reach moto through a <see cref="SerializingProxy"/>: moto applies concurrent requests without isolating them
/// and loses writes that real DynamoDB would keep, so a test that races two writes would otherwise fail by moto's fault.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class MotoServerFixture : MotoServer
{
    private SerializingProxy? _proxy;

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _proxy = new SerializingProxy(ServiceUrl);
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Store options for a table on this server, reached one request at a time, with dummy keys.</summary>
    public DynamoDBJobStoreOptions Options(string tableName) => Options(tableName, _proxy!.Url);

    /// <summary>Store options for a table on this server reached through <paramref name="endpoint"/>, with dummy keys.</summary>
    public static DynamoDBJobStoreOptions Options(string tableName, Uri endpoint) => new()
    {
        TableName = tableName,
        Region = "us-east-1",
        ServiceUrl = endpoint,
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
