using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// The scheduler's choices that teams will want to tune: which running jobs give way to a waiting one.
/// Queue order itself is the store's index on <see cref="QueuedJob.QueueKey"/>. Quotas, fair share,
/// minimum runtimes and checkpoint-aware victim choice arrive as other implementations of this seam.
/// </summary>
public interface ISchedulingPolicy
{
    /// <summary>
    /// The running jobs to stop so that <paramref name="candidate"/> gets <paramref name="instancesNeeded"/>
    /// more instances, or an empty list when it may not preempt enough of them.
    /// </summary>
    /// <param name="candidate">The best waiting job of the pool, which does not fit.</param>
    /// <param name="instancesNeeded">Instances still missing after counting free ones and ones already being released.</param>
    /// <param name="running">The pool's running jobs.</param>
    /// <param name="now">The current time.</param>
    IReadOnlyList<QueuedJob> ChooseVictims(QueuedJob candidate, int instancesNeeded, IReadOnlyList<QueuedJob> running, DateTimeOffset now);
}
