namespace QueuedTraining.Stores.DynamoDB;

/// <summary>
/// The names in the single table: one partition key, the attributes indexes read, and the indexes.
/// Kept in one place because the initializer, the store and the docs must agree on them.
/// </summary>
internal static class JobTable
{
    /// <summary>The table's only key: <c>job#name</c>, <c>pool#instanceType</c> or <c>lease#scheduler</c>.</summary>
    public const string Key = "pk";

    /// <summary>The whole job as QueuedJobJsonContext JSON.</summary>
    public const string Body = "body";

    /// <summary>The job's version (N); conditional writes compare it.</summary>
    public const string Version = "ver";

    /// <summary>The job's name (S), kept beside the key so index entries are readable.</summary>
    public const string Name = "name";

    /// <summary>The job's state (S), the by-state index's partition key.</summary>
    public const string State = "state";

    /// <summary>The queue order key (S), the sort key of every ordered index.</summary>
    public const string QueueKey = "qk";

    /// <summary>Always <see cref="JobKind"/> on a job item: the all-jobs index's partition key.</summary>
    public const string Kind = "kind";

    /// <summary>The pool (S), present only while the job waits: the waiting index's partition key.</summary>
    public const string WaitingPool = "waitPool";

    /// <summary>The current attempt's SageMaker name (S), present only once a job has an attempt.</summary>
    public const string Attempt = "attempt";

    /// <summary>Owner and idempotency key (S), present only when the client sent a key.</summary>
    public const string IdempotencyKey = "idem";

    /// <summary>The hour (UTC, <c>yyyy-MM-ddTHH</c>) the job last changed in (S): the change index's partition key.</summary>
    public const string ChangeHour = "chgHour";

    /// <summary>The job's <c>JobChangeKey</c> (S): the change index's sort key.</summary>
    public const string ChangeKey = "chg";

    /// <summary>On a pool item: the names of the pool's jobs that hold capacity (SS).</summary>
    public const string Holders = "holders";

    /// <summary>On the lease item: who holds it (S).</summary>
    public const string LeaseHolder = "holder";

    /// <summary>On the lease item: the fencing token (N).</summary>
    public const string LeaseToken = "token";

    /// <summary>On the lease item: when it lapses, in Unix milliseconds (N).</summary>
    public const string LeaseExpiresAt = "expiresAt";

    /// <summary>The value of <see cref="Kind"/> on job items.</summary>
    public const string JobKind = "job";

    /// <summary>Waiting jobs of a pool in queue order (sparse, keys only).</summary>
    public const string WaitingIndex = "waiting-by-pool";

    /// <summary>Jobs of one state in queue order (all attributes).</summary>
    public const string StateIndex = "by-state";

    /// <summary>Every job in queue order (all attributes).</summary>
    public const string AllJobsIndex = "all-jobs";

    /// <summary>Jobs by current attempt name (sparse, keys only).</summary>
    public const string AttemptIndex = "by-attempt";

    /// <summary>Jobs by owner and idempotency key (sparse, keys only).</summary>
    public const string IdempotencyIndex = "by-idempotency-key";

    /// <summary>Jobs by the hour they last changed, then in change order (all attributes): the change log.</summary>
    public const string ChangeIndex = "by-change";

    private const string JobPrefix = "job#";

    /// <summary>The key of the scheduler lease item.</summary>
    public const string LeaseItemKey = "lease#scheduler";

    /// <summary>The key of a job item.</summary>
    public static string JobItemKey(string name) => JobPrefix + name;

    /// <summary>The job name in a job item's key.</summary>
    public static string NameFromJobItemKey(string key) =>
        key.StartsWith(JobPrefix, StringComparison.Ordinal) ? key[JobPrefix.Length..] : throw new FormatException("Not a job item key.");

    /// <summary>
    /// The change index's partition for a change at <paramref name="at"/>. Hours bound each partition's size and spread
    /// writes over time, so no partition stays hot; a reader walks the hours from where it stopped to now.
    /// </summary>
    public static string ChangeHourOf(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The key of a pool's holders item.</summary>
    public static string PoolItemKey(string instanceType) => "pool#" + instanceType;

    /// <summary>The item that holds one owner's idempotency key to one job; the owner's length keeps owner and key apart.</summary>
    public static string IdempotencyItemKey(string owner, string idempotencyKey) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"idem#{owner.Length}:{owner}#{idempotencyKey}");
}
