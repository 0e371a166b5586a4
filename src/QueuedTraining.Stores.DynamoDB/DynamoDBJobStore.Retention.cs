using Amazon.DynamoDBv2.Model;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>Removing finished jobs past their retention.</summary>
/// <remarks>
/// DynamoDB's own TTL is not used: it deletes one item at a time, up to days late, and cannot take a job and its
/// idempotency-key item together. The sweep reads the oldest finished jobs from the end of the all-jobs index (their
/// keys sort last, see <see cref="QueueOrderKey.Finished"/>) and deletes each with its key item in one transaction,
/// conditioned on the version it read.
/// </remarks>
public sealed partial class DynamoDBJobStore
{
    /// <inheritdoc />
    public async Task<int> RemoveFinishedAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var response = await _client.QueryAsync(new QueryRequest
        {
            TableName = _tableName,
            IndexName = JobTable.AllJobsIndex,
            KeyConditionExpression = "#k = :k AND #qk >= :from",
            ExpressionAttributeNames = new() { ["#k"] = JobTable.Kind, ["#qk"] = JobTable.QueueKey },
            ExpressionAttributeValues = new()
            {
                [":k"] = JobItem.S(JobTable.JobKind),
                [":from"] = JobItem.S(QueueOrderKey.FinishedBefore(endedBefore)),
            },
            ScanIndexForward = false,
            Limit = limit,
        }, cancellationToken).ConfigureAwait(false);

        var removed = 0;
        foreach (var job in (response.Items ?? []).Select(JobItem.To))
        {
            if (await TryRemoveAsync(job, cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
        }

        return removed;
    }

    private async Task<bool> TryRemoveAsync(QueuedJob job, CancellationToken cancellationToken)
    {
        var delete = new Delete
        {
            TableName = _tableName,
            Key = JobItem.Key(job.Name),
            ConditionExpression = "#v = :v",
            ExpressionAttributeNames = new() { ["#v"] = JobTable.Version },
            ExpressionAttributeValues = new() { [":v"] = JobItem.N(job.Version) },
        };
        var items = new List<TransactWriteItem> { new() { Delete = delete } };
        if (job.IdempotencyKey is { } key)
        {
            // Only the key item that still names this job: the key may not be anyone else's.
            items.Add(new TransactWriteItem
            {
                Delete = new Delete
                {
                    TableName = _tableName,
                    Key = new() { [JobTable.Key] = JobItem.S(JobTable.IdempotencyItemKey(job.Owner, key)) },
                    ConditionExpression = "#n = :n",
                    ExpressionAttributeNames = new() { ["#n"] = JobTable.Name },
                    ExpressionAttributeValues = new() { [":n"] = JobItem.S(job.Name) },
                },
            });
        }

        return await TransactAsync(items, fenceIndex: -1, jobIndex: 0, cancellationToken).ConfigureAwait(false) == JobUpdateOutcome.Updated;
    }
}
