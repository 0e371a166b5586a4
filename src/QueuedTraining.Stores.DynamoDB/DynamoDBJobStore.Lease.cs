using System.Globalization;
using Amazon.DynamoDBv2.Model;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>The scheduler lease: one item, changed only by a put conditioned on what was read.</summary>
public sealed partial class DynamoDBJobStore
{
    // Each retry follows a write by another replica; after a few the lease is plainly contested.
    private const int LeaseAttempts = 5;

    /// <inheritdoc />
    public async Task<SchedulerLease?> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var nowMillis = now.ToUnixTimeMilliseconds();
        for (var attempt = 0; attempt < LeaseAttempts; attempt++)
        {
            var read = await _client.GetItemAsync(
                new GetItemRequest { TableName = _tableName, Key = LeaseKey(), ConsistentRead = true },
                cancellationToken).ConfigureAwait(false);
            var seen = read.Item is { Count: > 0 } item ? StoredLease.From(item) : null;
            if (seen is not null && seen.Holder != holder && seen.ExpiresAtMillis > nowMillis)
            {
                return null;
            }

            // Only a change of holder moves the token, so a renewing holder's earlier writes stay valid.
            var token = seen is null ? 1 : seen.Holder == holder ? seen.Token : seen.Token + 1;
            var lease = new SchedulerLease(holder, token, now + duration);
            try
            {
                await _client.PutItemAsync(LeasePut(lease, seen), cancellationToken).ConfigureAwait(false);
                return lease;
            }
            catch (Exception e) when (e is ConditionalCheckFailedException or TransactionConflictException)
            {
                // Another replica wrote the lease (or a fenced write was checking it) since the read: decide again.
            }
        }

        return null;
    }

    private static Dictionary<string, AttributeValue> LeaseKey() => new() { [JobTable.Key] = JobItem.S(JobTable.LeaseItemKey) };

    /// <summary>A put that succeeds only if the lease item is still exactly as read (compare-and-swap).</summary>
    private PutItemRequest LeasePut(SchedulerLease lease, StoredLease? seen)
    {
        var request = new PutItemRequest
        {
            TableName = _tableName,
            Item = new()
            {
                [JobTable.Key] = JobItem.S(JobTable.LeaseItemKey),
                [JobTable.LeaseHolder] = JobItem.S(lease.Holder),
                [JobTable.LeaseToken] = JobItem.N(lease.Token),
                [JobTable.LeaseExpiresAt] = JobItem.N(lease.ExpiresAt.ToUnixTimeMilliseconds()),
            },
            ExpressionAttributeNames = new() { ["#pk"] = JobTable.Key },
        };
        if (seen is null)
        {
            request.ConditionExpression = "attribute_not_exists(#pk)";
            return request;
        }

        request.ConditionExpression = "attribute_exists(#pk) AND #h = :h AND #t = :t AND #e = :e";
        request.ExpressionAttributeNames["#h"] = JobTable.LeaseHolder;
        request.ExpressionAttributeNames["#t"] = JobTable.LeaseToken;
        request.ExpressionAttributeNames["#e"] = JobTable.LeaseExpiresAt;
        request.ExpressionAttributeValues = new()
        {
            [":h"] = JobItem.S(seen.Holder),
            [":t"] = JobItem.N(seen.Token),
            [":e"] = JobItem.N(seen.ExpiresAtMillis),
        };
        return request;
    }

    private sealed record StoredLease(string Holder, long Token, long ExpiresAtMillis)
    {
        public static StoredLease From(Dictionary<string, AttributeValue> item) => new(
            item[JobTable.LeaseHolder].S,
            long.Parse(item[JobTable.LeaseToken].N, CultureInfo.InvariantCulture),
            long.Parse(item[JobTable.LeaseExpiresAt].N, CultureInfo.InvariantCulture));
    }
}
