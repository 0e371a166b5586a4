using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// What a blocked head may preempt now, or when it first could if minimum runtimes hold it back, or when its victims'
/// next checkpoint is due if it waits for that.
/// </summary>
/// <param name="Victims">The running jobs to preempt now.</param>
/// <param name="PreemptibleAt">
/// When no victims may be preempted now but some will be once protected jobs reach their minimum runtime: the earliest
/// such time; otherwise null.
/// </param>
/// <param name="BudgetSpent">
/// True when no room can be made, now or later, only because the jobs that would make it have spent their preemption
/// budget.
/// </param>
/// <param name="CheckpointAt">
/// When victims could be preempted now but some are about to save a checkpoint (<see cref="CheckpointAlignment"/>): the
/// latest time one of them is expected to; otherwise null.
/// </param>
internal sealed record Room(IReadOnlyList<QueuedJob> Victims, DateTimeOffset? PreemptibleAt, bool BudgetSpent = false, DateTimeOffset? CheckpointAt = null)
{
    /// <summary>Nothing to preempt, now or later.</summary>
    public static Room None { get; } = new([], null);
}
