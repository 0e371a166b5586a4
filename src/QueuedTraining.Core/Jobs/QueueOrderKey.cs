using System.Globalization;

namespace QueuedTraining.Core.Jobs;

/// <summary>
/// A string whose ordinal order is the queue order: priority descending, then enqueue time ascending,
/// then name. Stores index it so the head of a pool's queue is a range read, never a scan and sort.
/// </summary>
public static class QueueOrderKey
{
    /// <summary>
    /// How many leading characters of a key encode its priority. Keys of equal priority share this
    /// prefix, so a store can keep per-priority counts and count a position within one priority only.
    /// </summary>
    public const int PriorityPrefixLength = 10;

    /// <summary>Builds the key. Fixed-width numbers keep ordinal and numeric order the same.</summary>
    public static string Create(int priority, DateTimeOffset enqueuedAt, string name)
    {
        // int.MaxValue - priority maps [int.MinValue, int.MaxValue] onto [0, 2^32 - 1], highest priority first.
        var inverted = (long)int.MaxValue - priority;
        var millis = Math.Max(0, enqueuedAt.ToUnixTimeMilliseconds());
        return string.Create(CultureInfo.InvariantCulture, $"{inverted:D10}|{millis:D15}|{name}");
    }
}
