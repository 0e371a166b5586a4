namespace QueuedTraining.Core.Planning;

/// <summary>Why a waiting job has not started, as a stable machine-readable code.</summary>
public enum WaitReasonCode
{
    /// <summary>Other jobs of its pool are ahead of it in queue order.</summary>
    BehindInQueue,

    /// <summary>SageMaker refused to start it a moment ago; it waits out a back-off.</summary>
    BackingOff,

    /// <summary>It is next in line but its pool has no configured capacity.</summary>
    NoCapacityConfigured,

    /// <summary>It is next in line and fits: the scheduler's next pass starts it.</summary>
    StartsNextPass,

    /// <summary>It is next in line and waits for instances that preemption or a stop is releasing.</summary>
    WaitingForRelease,

    /// <summary>It is next in line; lower-priority jobs are being preempted for it in this plan.</summary>
    PreemptingForIt,

    /// <summary>It is next in line; the instances are in use by jobs the policy will not preempt for it.</summary>
    CapacityInUse,

    /// <summary>
    /// It is next in line; the lower-priority jobs it could preempt are within their minimum runtime. Its reason says
    /// when enough of them may be preempted.
    /// </summary>
    WaitingForMinimumRuntime,

    /// <summary>
    /// It is next in line; the lower-priority jobs that could make room for it have been preempted as often as they may
    /// be (<see cref="QueueOptions.MaxPreemptionsPerJob"/>) and run to their end.
    /// </summary>
    PreemptionBudgetSpent,

    /// <summary>Its team holds its whole quota and may not borrow, and the shared remainder is in use.</summary>
    QuotaExhausted,

    /// <summary>
    /// Capacity above quotas is scarce and another team, with less recent usage for its weight, is served first.
    /// </summary>
    FairShare,

    /// <summary>Instances are free, but they are the idle quota of a team that reserves it.</summary>
    ReservedForTeam,

    /// <summary>Its team already holds as many instances above its quota as its borrow limit allows.</summary>
    BorrowLimitReached,

    /// <summary>Its team is below its quota; jobs of other teams that borrow it are being preempted to give it back.</summary>
    ReclaimingQuota,

    /// <summary>
    /// It is next in line; the lower-priority jobs to preempt for it are about to save a checkpoint
    /// (<see cref="QueueOptions.PreemptionCheckpointGrace"/>). Its reason says when the checkpoint is expected; they are
    /// preempted once it is seen.
    /// </summary>
    WaitingForCheckpoint,
}
