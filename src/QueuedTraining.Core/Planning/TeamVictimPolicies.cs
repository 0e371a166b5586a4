using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// Reclaim: a team below its quota takes back instances other teams hold above theirs, whatever their priority, in the
/// order every preemption uses (<see cref="VictimOrder.LeastWorkLostFirst"/>). A borrowing team is never stopped below
/// its own quota. Nothing is stopped unless enough is, and no victim whose instances the others already free
/// (<see cref="VictimOrder.Prune"/>: dropping victims only leaves their teams further above quota).
/// </summary>
/// <param name="team">The team reclaiming.</param>
/// <param name="overQuota">Instances each team holds above its quota.</param>
internal sealed class ReclaimPolicy(string team, IReadOnlyDictionary<string, int> overQuota) : ISchedulingPolicy
{
    /// <inheritdoc />
    public IReadOnlyList<QueuedJob> ChooseVictims(QueuedJob candidate, int instancesNeeded, IReadOnlyList<QueuedJob> running, DateTimeOffset now)
    {
        var borrowers = running.Where(job => job.Team != team && overQuota.GetValueOrDefault(job.Team) > 0);
        var left = new Dictionary<string, int>(StringComparer.Ordinal);
        var victims = new List<QueuedJob>();
        var freed = 0;
        foreach (var job in VictimOrder.LeastWorkLostFirst(borrowers, now))
        {
            if (freed >= instancesNeeded)
            {
                break;
            }

            var over = left.TryGetValue(job.Team, out var remaining) ? remaining : overQuota[job.Team];
            if (over <= 0)
            {
                continue;
            }

            left[job.Team] = over - job.InstanceCount;
            victims.Add(job);
            freed += job.InstanceCount;
        }

        return freed >= instancesNeeded ? VictimOrder.Prune(victims, instancesNeeded) : [];
    }
}

/// <summary>Priority preemption inside one team: the scheduler's own policy, offered only that team's running jobs.</summary>
/// <param name="inner">The scheduler's policy.</param>
/// <param name="team">The team.</param>
internal sealed class WithinTeamPolicy(ISchedulingPolicy inner, string team) : ISchedulingPolicy
{
    /// <inheritdoc />
    public IReadOnlyList<QueuedJob> ChooseVictims(QueuedJob candidate, int instancesNeeded, IReadOnlyList<QueuedJob> running, DateTimeOffset now) =>
        inner.ChooseVictims(candidate, instancesNeeded, running.Where(job => job.Team == team).ToList(), now);
}
