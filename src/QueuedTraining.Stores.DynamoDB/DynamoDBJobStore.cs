using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>
/// The <see cref="IJobStore"/> for several replicas: one DynamoDB table (see docs/dynamodb-store.md) written only
/// with conditional and transactional writes, which DynamoDB acknowledges once they are durable. Reads that the
/// scheduler acts on right after a write use strongly consistent item reads, never a bare index read.
/// Create the table first with <see cref="DynamoDBTableInitializer"/>.
/// </summary>
public sealed partial class DynamoDBJobStore : IJobStore, IJobChangeLog, IAsyncDisposable
{
    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly string _tableName;
    private readonly TimeProvider _timeProvider;

    /// <summary>A store that builds (and later disposes) its own client from <paramref name="options"/>.</summary>
    /// <param name="options">Where the table is and how to reach it.</param>
    /// <param name="timeProvider">Paces retries after write conflicts and throttling; the system clock by default.</param>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public DynamoDBJobStore(DynamoDBJobStoreOptions options, TimeProvider? timeProvider = null)
        : this(DynamoDBClientFactory.Create(options), options.TableName, ownsClient: true, timeProvider)
    {
    }

    /// <summary>A store over a client the caller owns (and disposes).</summary>
    /// <param name="client">The DynamoDB client.</param>
    /// <param name="tableName">The table made by <see cref="DynamoDBTableInitializer"/>.</param>
    /// <param name="timeProvider">Paces retries after write conflicts and throttling; the system clock by default.</param>
    public DynamoDBJobStore(IAmazonDynamoDB client, string tableName, TimeProvider? timeProvider = null)
        : this(client, tableName, ownsClient: false, timeProvider)
    {
    }

    private DynamoDBJobStore(IAmazonDynamoDB client, string tableName, bool ownsClient, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        _client = client;
        _tableName = tableName;
        _ownsClient = ownsClient;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The table this store reads and writes.</summary>
    public string TableName => _tableName;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>One job item by key with a strongly consistent read.</summary>
    private async Task<QueuedJob?> ReadJobAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(
            new GetItemRequest { TableName = _tableName, Key = JobItem.Key(name), ConsistentRead = true },
            cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? JobItem.To(item) : null;
    }
}
