using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>
/// Point reads and the scheduler's reads. Indexes are eventually consistent, so they are used only to find
/// keys; the jobs themselves are then read strongly consistently and re-checked against what was asked.
/// </summary>
public sealed partial class DynamoDBJobStore
{
    // BatchGetItem takes at most 100 keys per call.
    private const int BatchGetLimit = 100;

    /// <inheritdoc />
    public Task<QueuedJob?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReadJobAsync(name, cancellationToken);
    }

    /// <inheritdoc />
    public Task<QueuedJob?> FindByAttemptNameAsync(string sageMakerJobName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sageMakerJobName);
        return FindOneAsync(
            JobTable.AttemptIndex,
            JobTable.Attempt,
            sageMakerJobName,
            job => string.Equals(job.CurrentAttemptName, sageMakerJobName, StringComparison.Ordinal),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<QueuedJob?> FindByIdempotencyKeyAsync(string owner, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return FindOneAsync(
            JobTable.IdempotencyIndex,
            JobTable.IdempotencyKey,
            JobItem.IdempotencyValue(owner, idempotencyKey),
            job => string.Equals(job.Owner, owner, StringComparison.Ordinal)
                && string.Equals(job.IdempotencyKey, idempotencyKey, StringComparison.Ordinal),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueuedJob>> GetWaitingAsync(string instanceType, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceType);
        if (limit <= 0)
        {
            return [];
        }

        var names = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await _client.QueryAsync(WaitingQuery(instanceType, null, limit - names.Count, start), cancellationToken)
                .ConfigureAwait(false);
            names.AddRange((response.Items ?? []).Select(NameOf));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null && names.Count < limit);

        // The index may lag: re-read every job consistently and keep only those still waiting in this pool,
        // so the scheduler decides on current versions and never starts a job that already left the queue.
        var jobs = await ReadJobsAsync(names, cancellationToken).ConfigureAwait(false);
        return jobs
            .Where(j => j.State.IsWaiting() && string.Equals(j.InstanceType, instanceType, StringComparison.Ordinal))
            .OrderBy(j => j.QueueKey, StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueuedJob>> GetHoldingCapacityAsync(string instanceType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceType);

        // Not an index: the pool's holders item changes in the same transaction as each job that starts or stops
        // holding, and is read consistently, so the scheduler never sees fewer holders than there are.
        var response = await _client.GetItemAsync(
            new GetItemRequest
            {
                TableName = _tableName,
                Key = new() { [JobTable.Key] = JobItem.S(JobTable.PoolItemKey(instanceType)) },
                ConsistentRead = true,
            },
            cancellationToken).ConfigureAwait(false);
        var names = response.Item is { } item && item.TryGetValue(JobTable.Holders, out var holders) ? holders.SS ?? [] : [];
        var jobs = await ReadJobsAsync(names, cancellationToken).ConfigureAwait(false);
        return jobs
            .Where(j => j.State.HoldsCapacity() && string.Equals(j.InstanceType, instanceType, StringComparison.Ordinal))
            .OrderBy(j => j.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc />
    public async Task<long> CountWaitingAheadAsync(QueuedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        long count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            // Select COUNT still pages at 1 MB of index data, so follow LastEvaluatedKey to the end.
            var query = WaitingQuery(job.InstanceType, job.QueueKey, null, start);
            query.Select = Select.COUNT;
            var response = await _client.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            count += response.Count ?? 0;
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return count;
    }

    private QueryRequest WaitingQuery(string instanceType, string? before, int? limit, Dictionary<string, AttributeValue>? start)
    {
        var query = new QueryRequest
        {
            TableName = _tableName,
            IndexName = JobTable.WaitingIndex,
            KeyConditionExpression = before is null ? "#pool = :pool" : "#pool = :pool AND #qk < :before",
            ExpressionAttributeNames = new() { ["#pool"] = JobTable.WaitingPool },
            ExpressionAttributeValues = new() { [":pool"] = JobItem.S(instanceType) },
            ScanIndexForward = true,
            ExclusiveStartKey = start,
        };
        if (before is not null)
        {
            query.ExpressionAttributeNames["#qk"] = JobTable.QueueKey;
            query.ExpressionAttributeValues[":before"] = JobItem.S(before);
        }

        if (limit is not null)
        {
            query.Limit = limit;
        }

        return query;
    }

    private async Task<QueuedJob?> FindOneAsync(
        string indexName,
        string attribute,
        string value,
        Func<QueuedJob, bool> stillMatches,
        CancellationToken cancellationToken)
    {
        var names = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await _client.QueryAsync(
                new QueryRequest
                {
                    TableName = _tableName,
                    IndexName = indexName,
                    KeyConditionExpression = "#a = :v",
                    ExpressionAttributeNames = new() { ["#a"] = attribute },
                    ExpressionAttributeValues = new() { [":v"] = JobItem.S(value) },
                    ExclusiveStartKey = start,
                },
                cancellationToken).ConfigureAwait(false);
            names.AddRange((response.Items ?? []).Select(NameOf));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        // A lagging index can still list a job whose attempt or key has since changed; the item decides.
        var jobs = await ReadJobsAsync(names, cancellationToken).ConfigureAwait(false);
        return jobs.FirstOrDefault(stillMatches);
    }

    /// <summary>Jobs by name with strongly consistent batch reads; names with no item are left out.</summary>
    private async Task<List<QueuedJob>> ReadJobsAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var jobs = new List<QueuedJob>();
        foreach (var chunk in names.Distinct(StringComparer.Ordinal).Chunk(BatchGetLimit))
        {
            var request = new Dictionary<string, KeysAndAttributes>(StringComparer.Ordinal)
            {
                [_tableName] = new KeysAndAttributes { Keys = chunk.Select(JobItem.Key).ToList(), ConsistentRead = true },
            };
            for (var attempt = 0; request.Count > 0; attempt++)
            {
                if (attempt > 0)
                {
                    // Unprocessed keys mean throttling; back off before asking for them again.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 25 << Math.Min(attempt, 6))), _timeProvider, cancellationToken)
                        .ConfigureAwait(false);
                }

                var response = await _client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = request }, cancellationToken)
                    .ConfigureAwait(false);
                if (response.Responses is { } responses && responses.TryGetValue(_tableName, out var items))
                {
                    jobs.AddRange(items.Select(JobItem.To));
                }

                request = response.UnprocessedKeys is { Count: > 0 } unprocessed ? unprocessed : [];
            }
        }

        return jobs;
    }

    private static string NameOf(Dictionary<string, AttributeValue> key) =>
        JobTable.NameFromJobItemKey(key[JobTable.Key].S);
}
