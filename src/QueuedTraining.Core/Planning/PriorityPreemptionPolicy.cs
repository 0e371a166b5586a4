using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// Preempts only jobs of strictly lower priority, lowest first and, within a priority, the most recently
/// started first (it has lost the least work), stopping no more instances than needed. If stopping every
/// eligible job would still not make room, nothing is stopped: a useless preemption only wastes work.
/// </summary>
public sealed class PriorityPreemptionPolicy : ISchedulingPolicy
{
    /// <inheritdoc />
    public IReadOnlyList<QueuedJob> ChooseVictims(QueuedJob candidate, int instancesNeeded, IReadOnlyList<QueuedJob> running, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(running);
        var eligible = LeastValuableFirst(running.Where(job => job.Priority < candidate.Priority), now);

        var victims = new List<QueuedJob>();
        var freed = 0;
        foreach (var job in eligible)
        {
            if (freed >= instancesNeeded)
            {
                break;
            }

            victims.Add(job);
            freed += job.InstanceCount;
        }

        return freed >= instancesNeeded ? victims : [];
    }

    /// <summary>
    /// <paramref name="running"/> ordered as preemption gives way: the least valuable work first. Every policy that
    /// picks victims (reclaim of lent quota included) orders them here, so a change of what "least valuable" means
    /// applies to all of them.
    /// </summary>
    /// <param name="running">The running jobs that may give way.</param>
    /// <param name="now">The current time.</param>
    internal static IEnumerable<QueuedJob> LeastValuableFirst(IEnumerable<QueuedJob> running, DateTimeOffset now) =>
        running
            .OrderBy(job => job.Priority)
            .ThenByDescending(job => job.CurrentAttempt?.StartedAt ?? job.UpdatedAt)
            .ThenBy(job => job.Name, StringComparer.Ordinal);
}
