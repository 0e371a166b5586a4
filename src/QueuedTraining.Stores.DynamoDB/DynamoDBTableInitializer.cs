using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>
/// Creates the job table and its indexes. Run it explicitly (a deployment step or a start-up check):
/// the store itself never creates tables, so a replica with only data-plane permissions works.
/// </summary>
public sealed class DynamoDBTableInitializer
{
    private static readonly (string Name, string Hash, string? Range, ProjectionType Projection)[] Indexes =
    [
        (JobTable.WaitingIndex, JobTable.WaitingPool, JobTable.QueueKey, ProjectionType.KEYS_ONLY),
        (JobTable.StateIndex, JobTable.State, JobTable.QueueKey, ProjectionType.ALL),
        (JobTable.AllJobsIndex, JobTable.Kind, JobTable.QueueKey, ProjectionType.ALL),
        (JobTable.AttemptIndex, JobTable.Attempt, null, ProjectionType.KEYS_ONLY),
        (JobTable.IdempotencyIndex, JobTable.IdempotencyKey, null, ProjectionType.KEYS_ONLY),
        (JobTable.ChangeIndex, JobTable.ChangeHour, JobTable.ChangeKey, ProjectionType.ALL),
    ];

    private readonly IAmazonDynamoDB _client;
    private readonly string _tableName;
    private readonly TimeProvider _timeProvider;

    /// <summary>An initializer for <paramref name="tableName"/>.</summary>
    /// <param name="client">The client to use; the caller keeps owning it.</param>
    /// <param name="tableName">The table the store will use.</param>
    /// <param name="timeProvider">Paces the wait for the table to become active; the system clock by default.</param>
    public DynamoDBTableInitializer(IAmazonDynamoDB client, string tableName, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        _client = client;
        _tableName = tableName;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How long to wait for the table and its indexes to become active; five minutes by default.</summary>
    public TimeSpan ActiveTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often to ask whether the table is active.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Creates the table with on-demand billing and every index, then waits until all are active.</summary>
    /// <exception cref="ResourceInUseException">The table already exists.</exception>
    public async Task CreateTableAsync(CancellationToken cancellationToken = default)
    {
        await _client.CreateTableAsync(BuildCreateRequest(), cancellationToken).ConfigureAwait(false);
        await WaitUntilActiveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the table if it is missing, waits until it is active, and checks that every index the store
    /// reads exists (an older table without one would otherwise fail only on the first such read).
    /// </summary>
    public async Task EnsureTableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.CreateTableAsync(BuildCreateRequest(), cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceInUseException)
        {
            // Exists already (or another replica is creating it): waiting below covers both.
        }

        var table = await WaitUntilActiveAsync(cancellationToken).ConfigureAwait(false);
        var present = (table.GlobalSecondaryIndexes ?? []).Select(i => i.IndexName).ToHashSet(StringComparer.Ordinal);
        var missing = Indexes.Select(i => i.Name).Where(n => !present.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Table {_tableName} lacks the global secondary indexes {string.Join(", ", missing)}; add them or use a new table.");
        }
    }

    private CreateTableRequest BuildCreateRequest()
    {
        var attributes = Indexes.SelectMany(i => i.Range is null ? new[] { i.Hash } : [i.Hash, i.Range])
            .Append(JobTable.Key)
            .Distinct(StringComparer.Ordinal)
            .Select(name => new AttributeDefinition(name, ScalarAttributeType.S))
            .ToList();
        return new CreateTableRequest
        {
            TableName = _tableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = attributes,
            KeySchema = [new KeySchemaElement(JobTable.Key, KeyType.HASH)],
            GlobalSecondaryIndexes = Indexes.Select(i => new GlobalSecondaryIndex
            {
                IndexName = i.Name,
                KeySchema = i.Range is null
                    ? [new KeySchemaElement(i.Hash, KeyType.HASH)]
                    : [new KeySchemaElement(i.Hash, KeyType.HASH), new KeySchemaElement(i.Range, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = i.Projection },
            }).ToList(),
        };
    }

    private async Task<TableDescription> WaitUntilActiveAsync(CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetUtcNow() + ActiveTimeout;
        while (true)
        {
            var table = (await _client.DescribeTableAsync(_tableName, cancellationToken).ConfigureAwait(false)).Table;
            var indexesActive = (table.GlobalSecondaryIndexes ?? []).All(i => i.IndexStatus == IndexStatus.ACTIVE);
            if (table.TableStatus == TableStatus.ACTIVE && indexesActive)
            {
                return table;
            }

            if (_timeProvider.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"Table {_tableName} was not active after {ActiveTimeout}.");
            }

            await Task.Delay(PollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
