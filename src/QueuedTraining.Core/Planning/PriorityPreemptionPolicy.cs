using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// Preempts only jobs of strictly lower priority, in <see cref="VictimOrder"/> (by default the lowest priority first, then
/// jobs that checkpoint before jobs that do not, then the least work lost), stopping none whose instances the others
/// already free (<see cref="VictimOrder.TakeEnough"/>). If stopping every eligible job would still not make room, nothing
/// is stopped: a useless preemption only wastes work.
/// </summary>
/// <param name="ordering">The order victims give way in; <see cref="VictimOrdering.LeastWorkLost"/> unless comparing.</param>
public sealed class PriorityPreemptionPolicy(VictimOrdering ordering) : ISchedulingPolicy
{
    /// <summary>A policy that orders victims by <see cref="VictimOrdering.LeastWorkLost"/>.</summary>
    public PriorityPreemptionPolicy()
        : this(VictimOrdering.LeastWorkLost)
    {
    }

    /// <summary>The order victims give way in.</summary>
    public VictimOrdering Ordering { get; } = ordering;

    /// <inheritdoc />
    public IReadOnlyList<QueuedJob> ChooseVictims(QueuedJob candidate, int instancesNeeded, IReadOnlyList<QueuedJob> running, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(running);
        var eligible = running.Where(job => job.Priority < candidate.Priority);
        var ordered = Ordering switch
        {
            VictimOrdering.MostRecentlyStarted => VictimOrder.MostRecentlyStartedFirst(eligible),
            VictimOrdering.LeastUnsavedTime => VictimOrder.LeastUnsavedTimeFirst(eligible, now),
            _ => VictimOrder.LeastWorkLostFirst(eligible, now),
        };
        return VictimOrder.TakeEnough(ordered, instancesNeeded);
    }
}
