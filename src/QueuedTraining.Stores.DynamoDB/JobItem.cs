using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Stores.DynamoDB;

/// <summary>Maps a <see cref="QueuedJob"/> to and from its item: the JSON body plus the attributes indexes read.</summary>
internal static class JobItem
{
    public static Dictionary<string, AttributeValue> Key(string name) =>
        new(StringComparer.Ordinal) { [JobTable.Key] = S(JobTable.JobItemKey(name)) };

    public static Dictionary<string, AttributeValue> From(QueuedJob job)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [JobTable.Key] = S(JobTable.JobItemKey(job.Name)),
            [JobTable.Name] = S(job.Name),
            [JobTable.Kind] = S(JobTable.JobKind),
            [JobTable.State] = S(StateValue(job.State)),
            [JobTable.QueueKey] = S(job.QueueKey),
            [JobTable.Version] = N(job.Version),
            [JobTable.ChangeHour] = S(JobTable.ChangeHourOf(job.UpdatedAt)),
            [JobTable.ChangeKey] = S(JobChangeKey.Of(job)),
            [JobTable.Body] = S(JsonSerializer.Serialize(job, QueuedJobJsonContext.Storage.QueuedJob)),
        };

        // Sparse attributes: absent means "not in that index", which keeps each index to the jobs it is for.
        if (job.State.IsWaiting())
        {
            item[JobTable.WaitingPool] = S(job.InstanceType);
        }

        if (job.CurrentAttemptName is { } attempt)
        {
            item[JobTable.Attempt] = S(attempt);
        }

        if (job.IdempotencyKey is { } key)
        {
            item[JobTable.IdempotencyKey] = S(IdempotencyValue(job.Owner, key));
        }

        return item;
    }

    public static QueuedJob To(Dictionary<string, AttributeValue> item)
    {
        if (!item.TryGetValue(JobTable.Body, out var body) || body.S is null)
        {
            throw new InvalidOperationException("A job item has no body; it was not written by this store.");
        }

        var job = JsonSerializer.Deserialize(body.S, QueuedJobJsonContext.Storage.QueuedJob)
            ?? throw new InvalidOperationException("A stored job was null.");

        // The attribute is what conditions compare, so it is the truth about the version.
        return job with { Version = long.Parse(item[JobTable.Version].N, CultureInfo.InvariantCulture) };
    }

    public static string StateValue(JobState state) => state.ToString();

    /// <summary>Length-prefixing the owner keeps ("a#b", "c") and ("a", "b#c") apart.</summary>
    public static string IdempotencyValue(string owner, string idempotencyKey) =>
        string.Create(CultureInfo.InvariantCulture, $"{owner.Length}:{owner}#{idempotencyKey}");

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
