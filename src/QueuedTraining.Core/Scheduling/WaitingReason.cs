using System.Globalization;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Scheduling;

/// <summary>
/// Why a waiting job has not started, worked out when the job is read rather than stored by the scheduler.
/// A stored reason would be a durable write each time a job reaches the head of its pool, about one in six of
/// all commits on a busy queue, and would go stale with every start and stop; read from the pool as it is, the
/// reason can name counts and is always current.
/// </summary>
public static class WaitingReason
{
    /// <summary>
    /// The reason for <paramref name="job"/> at <paramref name="position"/> in its pool's queue, or null when the job's
    /// own stored reason applies (it is not waiting, or it still waits out a back-off after a refused start).
    /// </summary>
    /// <param name="job">The job as read.</param>
    /// <param name="position">Its place in its pool's queue, 1 at the head.</param>
    /// <param name="holding">At the head only: the pool's jobs that hold instances.</param>
    /// <param name="capacity">At the head only: the pool's instances, or null when the pool is not configured.</param>
    /// <param name="now">The time of the read: a back-off that has run out no longer explains the wait.</param>
    public static string? Describe(QueuedJob job, long position, IReadOnlyList<QueuedJob> holding, int? capacity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(holding);
        if (!job.State.IsWaiting() || job.IsBackingOffAt(now))
        {
            return null;
        }

        if (position > 1)
        {
            return Invariant($"waiting: {position - 1} job(s) ahead in the {job.InstanceType} queue");
        }

        if (capacity is not { } instances)
        {
            return Invariant($"next in line, but no {job.InstanceType} capacity is configured");
        }

        var used = holding.Sum(h => h.InstanceCount);
        if (instances - used >= job.InstanceCount)
        {
            return Invariant($"next in line: {instances - used} of {instances} {job.InstanceType} instances are free; it starts on the scheduler's next pass");
        }

        var releasing = holding.Where(h => h.State is JobState.Preempting or JobState.Stopping).Sum(h => h.InstanceCount);
        if (releasing > 0)
        {
            return Invariant($"next in line: waiting for {releasing} {job.InstanceType} instance(s) that are being released");
        }

        var byLowerPriority = holding.Where(h => h.Priority < job.Priority).Sum(h => h.InstanceCount);
        return byLowerPriority == 0
            ? Invariant($"waiting for capacity: {used} of {instances} {job.InstanceType} instances are in use by jobs of equal or higher priority")
            : Invariant($"waiting for capacity: {used} of {instances} {job.InstanceType} instances are in use, {byLowerPriority} by lower-priority jobs the scheduling policy may preempt");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
