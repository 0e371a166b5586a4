using Amazon.DynamoDBv2.Model;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>Adding and conditionally replacing jobs.</summary>
public sealed partial class DynamoDBJobStore
{
    // A transaction that collides with another in flight is cancelled with TransactionConflict, which says
    // nothing about our condition; trying again a few times gives the true outcome.
    private const int TransactionConflictRetries = 4;

    /// <inheritdoc />
    public async Task<JobAddResult> AddAsync(QueuedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var stored = job with { Version = 1 };
        var put = new Put
        {
            TableName = _tableName,
            Item = JobItem.From(stored),
            ConditionExpression = "attribute_not_exists(#pk)",
            ExpressionAttributeNames = new() { ["#pk"] = JobTable.Key },
        };

        var holders = HolderChanges(null, stored);
        var outcome = job.IdempotencyKey is null
            ? await WriteAsync(null, put, holders, cancellationToken).ConfigureAwait(false)
            : await AddWithIdempotencyKeyAsync(stored, put, holders, cancellationToken).ConfigureAwait(false);
        if (outcome == JobUpdateOutcome.Updated)
        {
            return new JobAddResult(true, stored);
        }

        if (outcome == JobUpdateOutcome.NotFound)
        {
            // The owner's key is taken by another job: answer that one, read through the key's own item (consistent).
            var key = await _client.GetItemAsync(
                new GetItemRequest
                {
                    TableName = _tableName,
                    Key = new() { [JobTable.Key] = JobItem.S(JobTable.IdempotencyItemKey(job.Owner, job.IdempotencyKey!)) },
                    ConsistentRead = true,
                },
                cancellationToken).ConfigureAwait(false);
            var holder = key.Item is { Count: > 0 } item && item.TryGetValue(JobTable.Name, out var name) ? name.S : null;
            return new JobAddResult(false, (holder is null ? null : await ReadJobAsync(holder, cancellationToken).ConfigureAwait(false))
                ?? throw new InvalidOperationException($"Idempotency key of job {job.Name} is taken but its job could not be read."));
        }

        // The name is taken; jobs are never deleted, so the consistent read finds the one that took it.
        var existing = await ReadJobAsync(job.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {job.Name} exists by its write condition but could not be read.");
        return new JobAddResult(false, existing);
    }

    /// <inheritdoc />
    /// <remarks>Every DynamoDB write is durable when it is acknowledged, so <paramref name="durability"/> changes nothing.</remarks>
    public async Task<JobUpdateResult> TryUpdateAsync(
        QueuedJob current,
        QueuedJob updated,
        SchedulerLease? fence = null,
        WriteDurability durability = WriteDurability.Immediate,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updated);
        if (!string.Equals(current.Name, updated.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException("A job's name cannot change.", nameof(updated));
        }

        var stored = updated with { Version = current.Version + 1 };
        var put = new Put
        {
            TableName = _tableName,
            Item = JobItem.From(stored),
            ConditionExpression = "#ver = :expected",
            ExpressionAttributeNames = new() { ["#ver"] = JobTable.Version },
            ExpressionAttributeValues = new() { [":expected"] = JobItem.N(current.Version) },
        };

        // The write is conditioned on current's version, so current's state is the stored state it replaces.
        var holders = HolderChanges(current, stored);
        var outcome = await WriteAsync(fence, put, holders, cancellationToken).ConfigureAwait(false);
        if (outcome != JobUpdateOutcome.VersionConflict)
        {
            return new JobUpdateResult(outcome, outcome == JobUpdateOutcome.Updated ? stored : null);
        }

        // A failed version condition does not say whether the item exists; a consistent read does.
        var exists = await ReadJobAsync(current.Name, cancellationToken).ConfigureAwait(false) is not null;
        return new JobUpdateResult(exists ? JobUpdateOutcome.VersionConflict : JobUpdateOutcome.NotFound, null);
    }

    /// <summary>
    /// Writes the job, and with it (atomically) the fence check and holder-list changes when there are any.
    /// Returns <see cref="JobUpdateOutcome.VersionConflict"/> for any failed job condition.
    /// </summary>
    /// <summary>
    /// Puts the job and its owner's idempotency-key item in one transaction, each only if absent. VersionConflict: the
    /// name is taken; NotFound: the key is taken (by another job of this owner).
    /// </summary>
    private async Task<JobUpdateOutcome> AddWithIdempotencyKeyAsync(QueuedJob job, Put put, List<Update> holders, CancellationToken cancellationToken)
    {
        var keyItem = new Put
        {
            TableName = _tableName,
            Item = new()
            {
                [JobTable.Key] = JobItem.S(JobTable.IdempotencyItemKey(job.Owner, job.IdempotencyKey!)),
                [JobTable.Name] = JobItem.S(job.Name),
            },
            ConditionExpression = "attribute_not_exists(#pk)",
            ExpressionAttributeNames = new() { ["#pk"] = JobTable.Key },
        };
        var items = new List<TransactWriteItem> { new() { Put = put }, new() { Put = keyItem } };
        items.AddRange(holders.Select(u => new TransactWriteItem { Update = u }));
        try
        {
            return await TransactAsync(items, fenceIndex: -1, jobIndex: 0, cancellationToken).ConfigureAwait(false);
        }
        catch (TransactionCanceledException e) when (Failed(e.CancellationReasons ?? [], 1))
        {
            return JobUpdateOutcome.NotFound;
        }
    }

    private async Task<JobUpdateOutcome> WriteAsync(SchedulerLease? fence, Put put, List<Update> holders, CancellationToken cancellationToken)
    {
        if (fence is null && holders.Count == 0)
        {
            // A single conditional put is cheaper than a transaction and just as atomic for one item.
            try
            {
                await _client.PutItemAsync(
                    new PutItemRequest
                    {
                        TableName = put.TableName,
                        Item = put.Item,
                        ConditionExpression = put.ConditionExpression,
                        ExpressionAttributeNames = put.ExpressionAttributeNames,
                        ExpressionAttributeValues = put.ExpressionAttributeValues,
                    },
                    cancellationToken).ConfigureAwait(false);
                return JobUpdateOutcome.Updated;
            }
            catch (ConditionalCheckFailedException)
            {
                return JobUpdateOutcome.VersionConflict;
            }
        }

        var items = new List<TransactWriteItem>();
        if (fence is not null)
        {
            items.Add(new TransactWriteItem { ConditionCheck = FenceCheck(fence) });
        }

        var jobIndex = items.Count;
        items.Add(new TransactWriteItem { Put = put });
        items.AddRange(holders.Select(u => new TransactWriteItem { Update = u }));
        return await TransactAsync(items, fence is null ? -1 : 0, jobIndex, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobUpdateOutcome> TransactAsync(List<TransactWriteItem> items, int fenceIndex, int jobIndex, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _client.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = items }, cancellationToken)
                    .ConfigureAwait(false);
                return JobUpdateOutcome.Updated;
            }
            catch (TransactionCanceledException e)
            {
                var reasons = e.CancellationReasons ?? [];
                if (fenceIndex >= 0 && Failed(reasons, fenceIndex))
                {
                    // Checked first: a replica that lost its lease must stop, whatever else went wrong.
                    return JobUpdateOutcome.FenceRejected;
                }

                if (Failed(reasons, jobIndex))
                {
                    return JobUpdateOutcome.VersionConflict;
                }

                var conflicted = reasons.Any(r => r.Code == "TransactionConflict");
                if (!conflicted || attempt >= TransactionConflictRetries)
                {
                    if (conflicted)
                    {
                        // Someone else kept writing these items; the caller re-reads and decides again.
                        return JobUpdateOutcome.VersionConflict;
                    }

                    throw;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20 * (1 << attempt)), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Failed(List<CancellationReason> reasons, int index) =>
        index < reasons.Count && reasons[index].Code == "ConditionalCheckFailed";

    private ConditionCheck FenceCheck(SchedulerLease fence) => new()
    {
        TableName = _tableName,
        Key = new() { [JobTable.Key] = JobItem.S(JobTable.LeaseItemKey) },
        ConditionExpression = "#holder = :holder AND #token = :token",
        ExpressionAttributeNames = new() { ["#holder"] = JobTable.LeaseHolder, ["#token"] = JobTable.LeaseToken },
        ExpressionAttributeValues = new() { [":holder"] = JobItem.S(fence.Holder), [":token"] = JobItem.N(fence.Token) },
    };

    /// <summary>
    /// The changes to per-pool holder lists that moving from <paramref name="before"/> to <paramref name="after"/>
    /// needs. They ride in the job's transaction, so the lists are never behind the jobs.
    /// </summary>
    private List<Update> HolderChanges(QueuedJob? before, QueuedJob after)
    {
        var wasHolding = before is not null && before.State.HoldsCapacity();
        var isHolding = after.State.HoldsCapacity();
        var samePool = before is not null && string.Equals(before.InstanceType, after.InstanceType, StringComparison.Ordinal);
        var changes = new List<Update>();
        if (wasHolding && !(isHolding && samePool))
        {
            changes.Add(HolderUpdate("DELETE", before!.InstanceType, after.Name));
        }

        if (isHolding && !(wasHolding && samePool))
        {
            changes.Add(HolderUpdate("ADD", after.InstanceType, after.Name));
        }

        return changes;
    }

    private Update HolderUpdate(string verb, string instanceType, string name) => new()
    {
        TableName = _tableName,
        Key = new() { [JobTable.Key] = JobItem.S(JobTable.PoolItemKey(instanceType)) },

        // Set ADD/DELETE need no read and are idempotent, so a transaction retried after a conflict is still right.
        UpdateExpression = $"{verb} #holders :name",
        ExpressionAttributeNames = new() { ["#holders"] = JobTable.Holders },
        ExpressionAttributeValues = new() { [":name"] = new AttributeValue { SS = [name] } },
    };
}
