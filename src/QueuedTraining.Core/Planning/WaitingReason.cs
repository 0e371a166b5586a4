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
    /// <param name="policy">The scheduler's policy, to tell a head held back by minimum runtimes; null not to ask.</param>
    /// <param name="rules">The pool's preemption rules.</param>
    public static WaitReason? For(
        QueuedJob job,
        long ahead,
        IReadOnlyList<QueuedJob> holding,
        int? capacity,
        DateTimeOffset now,
        ISchedulingPolicy? policy = null,
        PreemptionRules? rules = null)
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

        var room = Room.None;
        if (policy is not null && capacity is { } instances)
        {
            // The planner's own question, so a read explains the wait as the next pass will; its victims are not
            // preempted yet, so they show as capacity in use.
            var inUse = holding.Sum(h => h.InstanceCount);
            var releasing = holding.Where(h => h.State is JobState.Preempting or JobState.Stopping).Sum(h => h.InstanceCount);
            var found = QueuePlanner.MakeRoom(policy, job, holding, rules ?? PreemptionRules.None, Math.Max(instances - inUse, 0), releasing, now);
            room = found with { Victims = [] };
        }

        return ForHead(job, holding, capacity, room);
    }

    /// <summary>
    /// The reason of the job at the head of its pool. <paramref name="room"/> is what the plan that asks found it may
    /// preempt: victims now, the time minimum runtimes allow it, or the time its victims' checkpoint is due.
    /// </summary>
    internal static WaitReason ForHead(QueuedJob job, IReadOnlyList<QueuedJob> holding, int? capacity, Room room)
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
            : room.Victims.Count > 0 ? WaitReasonCode.PreemptingForIt
            : room.CheckpointAt is not null ? WaitReasonCode.WaitingForCheckpoint
            : room.PreemptibleAt is not null ? WaitReasonCode.WaitingForMinimumRuntime
            : releasing > 0 ? WaitReasonCode.WaitingForRelease
            : room.BudgetSpent ? WaitReasonCode.PreemptionBudgetSpent
            : WaitReasonCode.CapacityInUse;
        var notBefore = code switch
        {
            WaitReasonCode.WaitingForMinimumRuntime => room.PreemptibleAt,
            WaitReasonCode.WaitingForCheckpoint => room.CheckpointAt,
            _ => null,
        };
        return new WaitReason(code, job.InstanceType, 0, instances, inUse, releasing, byLower, notBefore);
    }
}
