using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Storage;

/// <summary>
/// A store's jobs in the order they last changed, read as a range of an index on <see cref="JobChangeKey"/>. It is how
/// every replica learns what any replica committed (the live event stream reads it), without scanning the store and
/// without a second table to write: the job's own last write moves its key.
/// </summary>
public interface IJobChangeLog
{
    /// <summary>
    /// Up to <paramref name="limit"/> jobs whose <see cref="JobChangeKey.Of"/> sorts after <paramref name="afterKey"/>,
    /// ascending. An index may lag its table briefly (DynamoDB's global secondary indexes do), so a reader that must not
    /// miss a change reads again from a little before where it stopped.
    /// </summary>
    Task<IReadOnlyList<QueuedJob>> GetChangedAfterAsync(string afterKey, int limit, CancellationToken cancellationToken = default);
}

/// <summary>The sort key of <see cref="IJobChangeLog"/>: when the job last changed (Unix milliseconds, fixed width), then its name.</summary>
public static class JobChangeKey
{
    /// <summary>The key of <paramref name="job"/> as it is now.</summary>
    public static string Of(QueuedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return At(job.UpdatedAt, job.Name);
    }

    /// <summary>The key of a change at <paramref name="at"/> of the job <paramref name="name"/>; an empty name sorts before every job of that moment.</summary>
    public static string At(DateTimeOffset at, string name) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Max(0, at.ToUnixTimeMilliseconds()):D15}|{name}");
}
