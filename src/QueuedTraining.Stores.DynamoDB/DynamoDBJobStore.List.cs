using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>Listing jobs page by page in queue order.</summary>
public sealed partial class DynamoDBJobStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Reads the all-jobs or by-state index (eventually consistent: a job written a moment ago may show on the
    /// next call). Asks for one job more than the page so that the last page says so and no empty page follows.
    /// </remarks>
    public async Task<JobListPage> ListAsync(JobListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.PageSize);
        var state = query.State is { } s ? JobItem.StateValue(s) : null;
        var start = string.IsNullOrEmpty(query.PageToken) ? null : PageToken.Decode(query.PageToken, state);

        var items = new List<Dictionary<string, AttributeValue>>();
        do
        {
            var request = new QueryRequest
            {
                TableName = _tableName,
                IndexName = state is null ? JobTable.AllJobsIndex : JobTable.StateIndex,
                KeyConditionExpression = "#p = :p",
                ExpressionAttributeNames = new() { ["#p"] = state is null ? JobTable.Kind : JobTable.State },
                ExpressionAttributeValues = new() { [":p"] = JobItem.S(state ?? JobTable.JobKind) },
                ScanIndexForward = true,
                Limit = query.PageSize + 1 - items.Count,
                ExclusiveStartKey = start,
            };

            QueryResponse response;
            try
            {
                response = await _client.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonDynamoDBException e) when (start is not null && e.ErrorCode == "ValidationException")
            {
                // Well-formed but pointing at a key the index rejects: still not a token we issued.
                throw PageToken.Invalid();
            }

            items.AddRange(response.Items ?? []);

            // A page can end early at 1 MB; keep reading until the page is full or the index ends.
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null && items.Count <= query.PageSize);

        if (items.Count <= query.PageSize)
        {
            return new JobListPage(items.Select(JobItem.To).ToList(), null);
        }

        var page = items.Take(query.PageSize).ToList();
        return new JobListPage(page.Select(JobItem.To).ToList(), PageToken.Encode(state, page[^1]));
    }
}
