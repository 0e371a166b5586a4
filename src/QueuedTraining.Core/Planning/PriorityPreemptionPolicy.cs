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
        var eligible = running
            .Where(job => job.Priority < candidate.Priority)
            .OrderBy(job => job.Priority)
            .ThenByDescending(job => job.CurrentAttempt?.StartedAt ?? job.UpdatedAt)
            .ThenBy(job => job.Name, StringComparer.Ordinal);

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
}
