using System.Globalization;

namespace QueuedTraining.Core.Jobs;

/// <summary>
/// A string whose ordinal order is the queue order: priority descending, then enqueue time ascending,
/// then name. Stores index it so the head of a pool's queue is a range read, never a scan and sort.
/// Finished jobs get keys of their own that sort after every unfinished one, most recently ended first, so
/// one index serves every listing ("waiting and holding in queue order, then finished by end time") and the
/// retention sweep (the oldest finished jobs are the last keys).
/// </summary>
public static class QueueOrderKey
{
    /// <summary>
    /// How many leading characters of a key encode its priority. Keys of equal priority share this
    /// prefix, so a store can keep per-priority counts and count a position within one priority only.
    /// </summary>
    public const int PriorityPrefixLength = 10;

    /// <summary>Where every finished job's key starts; '~' sorts after the digits unfinished keys start with.</summary>
    public const string FinishedPrefix = "~|";

    private const long LatestMillis = 999_999_999_999_999;

    /// <summary>Builds a finished job's key: newest end first, then name.</summary>
    public static string Finished(DateTimeOffset endedAt, string name) =>
        string.Create(CultureInfo.InvariantCulture, $"{FinishedPrefix}{LatestMillis - Math.Max(0, endedAt.ToUnixTimeMilliseconds()):D15}|{name}");

    /// <summary>
    /// The lowest key of the finished jobs that ended strictly before <paramref name="endedBefore"/>: every key at or
    /// above it belongs to such a job.
    /// </summary>
    public static string FinishedBefore(DateTimeOffset endedBefore) =>
        string.Create(CultureInfo.InvariantCulture, $"{FinishedPrefix}{LatestMillis - Math.Max(0, endedBefore.ToUnixTimeMilliseconds()) + 1:D15}|");

    /// <summary>Builds the key. Fixed-width numbers keep ordinal and numeric order the same.</summary>
    public static string Create(int priority, DateTimeOffset enqueuedAt, string name)
    {
        // int.MaxValue - priority maps [int.MinValue, int.MaxValue] onto [0, 2^32 - 1], highest priority first.
        var inverted = (long)int.MaxValue - priority;
        var millis = Math.Max(0, enqueuedAt.ToUnixTimeMilliseconds());
        return string.Create(CultureInfo.InvariantCulture, $"{inverted:D10}|{millis:D15}|{name}");
    }
}
