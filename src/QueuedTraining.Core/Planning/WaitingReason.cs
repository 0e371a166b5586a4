using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// Works out why a waiting job has not started, from its place in line and its pool as they are now. The planner
/// gives every job it considers a reason this way, and a read of one job asks the same question, so both answer alike.
/// Nothing of it is stored: a stored reason would cost a durable write each time a job reached the head of its pool
/// and would go stale with every start and stop.
/// </summary>
internal static class WaitingReason
{
    /// <summary>
    /// The reason for <paramref name="job"/> with <paramref name="ahead"/> waiting jobs before it, or null when the
    /// job does not wait. A job backing off after a refused start reports <see cref="WaitReasonCode.BackingOff"/>.
    /// </summary>
    /// <param name="job">The job as read.</param>
    /// <param name="ahead">Waiting jobs of its pool ahead of it in queue order.</param>
    /// <param name="holding">At the head only: the pool's jobs that hold instances.</param>
    /// <param name="capacity">The pool's instances, or null when the pool is not configured.</param>
    /// <param name="now">The time of the read: a back-off that has run out no longer explains the wait.</param>
    public static WaitReason? For(QueuedJob job, long ahead, IReadOnlyList<QueuedJob> holding, int? capacity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(holding);
        if (!job.State.IsWaiting())
        {
            return null;
        }

        if (job.IsBackingOffAt(now))
        {
            return new WaitReason(WaitReasonCode.BackingOff, job.InstanceType, ahead, NotBefore: job.NotBefore);
        }

        if (ahead > 0)
        {
            return new WaitReason(WaitReasonCode.BehindInQueue, job.InstanceType, ahead);
        }

        return ForHead(job, holding, capacity, preempting: false);
    }

    /// <summary>
    /// The reason of the job at the head of its pool. <paramref name="preempting"/> is true when the plan that asks
    /// has just chosen victims for it.
    /// </summary>
    internal static WaitReason ForHead(QueuedJob job, IReadOnlyList<QueuedJob> holding, int? capacity, bool preempting)
    {
        if (capacity is not { } instances)
        {
            return new WaitReason(WaitReasonCode.NoCapacityConfigured, job.InstanceType);
        }

        int inUse = 0, releasing = 0, byLower = 0;
        foreach (var holder in holding)
        {
            inUse += holder.InstanceCount;
            if (holder.State is JobState.Preempting or JobState.Stopping)
            {
                releasing += holder.InstanceCount;
            }
            else if (holder.Priority < job.Priority)
            {
                byLower += holder.InstanceCount;
            }
        }

        var code = instances - inUse >= job.InstanceCount ? WaitReasonCode.StartsNextPass
            : preempting ? WaitReasonCode.PreemptingForIt
            : releasing > 0 ? WaitReasonCode.WaitingForRelease
            : WaitReasonCode.CapacityInUse;
        return new WaitReason(code, job.InstanceType, 0, instances, inUse, releasing, byLower);
    }
}
