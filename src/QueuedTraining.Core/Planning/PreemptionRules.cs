using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// What protects one pool's running jobs from preemption, whatever the <see cref="ISchedulingPolicy"/>: the planner
/// offers the policy only jobs these rules leave open, so no policy can break them.
/// </summary>
/// <param name="MinimumRuntime">How long an attempt runs before it may be preempted, unless the job asks for more.</param>
/// <param name="MaxMinimumRuntime">The most a job may ask for by its tag.</param>
/// <param name="MaxPreemptionsPerJob">Preemptions after which a job is not preempted again; 0 for no limit.</param>
/// <param name="Uncheckpointed">Whether jobs without a checkpoint location may be preempted at all.</param>
internal sealed record PreemptionRules(
    TimeSpan MinimumRuntime,
    TimeSpan MaxMinimumRuntime,
    int MaxPreemptionsPerJob,
    UncheckpointedPreemption Uncheckpointed = UncheckpointedPreemption.LastResort)
{
    /// <summary>No protection: every running job may be preempted at any time.</summary>
    public static PreemptionRules None { get; } = new(TimeSpan.Zero, TimeSpan.Zero, 0);

    /// <summary>
    /// How long a head may wait for its victims' next checkpoint before they are preempted
    /// (<see cref="CheckpointAlignment"/>); zero, the default, preempts at once.
    /// </summary>
    public TimeSpan CheckpointGrace { get; init; }

    /// <summary>
    /// How late a pass may see a checkpoint after it was written: a read every
    /// <see cref="QueueOptions.CheckpointRefreshInterval"/>, started by a pass and used by the next, with passes at least
    /// every <see cref="QueueOptions.ReconcileInterval"/>. A wait for a checkpoint lasts at most this long past its
    /// expected time. Two minutes by default (one-minute reads, passes every 30 seconds).
    /// </summary>
    public TimeSpan CheckpointSeenWithin { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The job's minimum runtime: the pool's, or more when its tag asks for more, up to the cap.</summary>
    public TimeSpan MinimumRuntimeOf(QueuedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var requested = job.RequestedMinimumRuntime is { } asked && asked > MaxMinimumRuntime ? MaxMinimumRuntime : job.RequestedMinimumRuntime;
        return requested > MinimumRuntime ? requested.Value : MinimumRuntime;
    }

    /// <summary>When the job's current attempt may first be preempted; null when it has no attempt.</summary>
    public DateTimeOffset? PreemptibleFrom(QueuedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.CurrentAttempt is { } attempt ? attempt.StartedAt + MinimumRuntimeOf(job) : null;
    }

    /// <summary>Preemptions the job may still take; null when there is no limit.</summary>
    public int? PreemptionsLeft(QueuedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return MaxPreemptionsPerJob == 0 ? null : Math.Max(0, MaxPreemptionsPerJob - job.Preemptions);
    }

    /// <summary>True when the job has been preempted as often as it may be.</summary>
    public bool BudgetSpent(QueuedJob job) => PreemptionsLeft(job) == 0;

    /// <summary>True when the job does not checkpoint and the pool never preempts such jobs.</summary>
    public bool ProtectsUncheckpointed(QueuedJob job) =>
        Uncheckpointed == UncheckpointedPreemption.Never && job.CheckpointS3Uri is null;

    /// <summary>
    /// True when the job is running, within its budget, not protected for lack of a checkpoint and past its minimum
    /// runtime at <paramref name="now"/>.
    /// </summary>
    public bool MayPreempt(QueuedJob job, DateTimeOffset now) =>
        job.State == JobState.Running && !BudgetSpent(job) && !ProtectsUncheckpointed(job) && !(PreemptibleFrom(job) > now);
}
