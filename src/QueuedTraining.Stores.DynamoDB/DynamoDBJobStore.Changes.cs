using System.Globalization;
using Amazon.DynamoDBv2.Model;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>The change log: jobs in the order they last changed, from the by-change index.</summary>
public sealed partial class DynamoDBJobStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One query per hour from the hour of <paramref name="afterKey"/> to the current hour (and the next, for a writer whose
    /// clock runs ahead), each a range of one partition, so a reader that stays near the present reads one or two
    /// partitions. The index is eventually consistent: a job written a moment ago may show on the next call.
    /// </remarks>
    public async Task<IReadOnlyList<QueuedJob>> GetChangedAfterAsync(string afterKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(afterKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var hour = HourOf(afterKey);
        var last = TruncateToHour(_timeProvider.GetUtcNow()).AddHours(1);
        var jobs = new List<QueuedJob>();
        for (; hour <= last && jobs.Count < limit; hour = hour.AddHours(1))
        {
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var response = await _client.QueryAsync(
                    new QueryRequest
                    {
                        TableName = _tableName,
                        IndexName = JobTable.ChangeIndex,
                        KeyConditionExpression = "#h = :h AND #k > :k",
                        ExpressionAttributeNames = new() { ["#h"] = JobTable.ChangeHour, ["#k"] = JobTable.ChangeKey },
                        ExpressionAttributeValues = new() { [":h"] = JobItem.S(JobTable.ChangeHourOf(hour)), [":k"] = JobItem.S(afterKey) },
                        ScanIndexForward = true,
                        Limit = limit - jobs.Count,
                        ExclusiveStartKey = start,
                    },
                    cancellationToken).ConfigureAwait(false);
                jobs.AddRange((response.Items ?? []).Select(JobItem.To));
                start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (start is not null && jobs.Count < limit);
        }

        return jobs;
    }

    private static DateTimeOffset HourOf(string changeKey)
    {
        var millis = changeKey.Length >= 15 && long.TryParse(changeKey.AsSpan(0, 15), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return TruncateToHour(DateTimeOffset.FromUnixTimeMilliseconds(millis));
    }

    private static DateTimeOffset TruncateToHour(DateTimeOffset at) =>
        new(at.UtcDateTime.Year, at.UtcDateTime.Month, at.UtcDateTime.Day, at.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);
}
