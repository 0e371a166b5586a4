using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Queries;

/// <summary>One team's standing in one pool.</summary>
/// <param name="Team">The team.</param>
/// <param name="InstanceType">The pool.</param>
/// <param name="Quota">Instances guaranteed to it.</param>
/// <param name="Lending">How it lends and borrows.</param>
/// <param name="BorrowLimit">The most instances above its quota it may hold; null for no limit.</param>
/// <param name="Weight">Its fair-share weight.</param>
/// <param name="InUse">Instances its jobs hold.</param>
/// <param name="Borrowed">Instances it holds above its quota (on the shared remainder or on lent quota).</param>
/// <param name="Lent">Instances of its idle quota other teams hold.</param>
/// <param name="Waiting">Its waiting jobs among the pool's first <see cref="QueueOptions.LookAhead"/> waiting jobs.</param>
/// <param name="FairShareUsage">Its decayed usage of the pool, in instance-seconds.</param>
public sealed record TeamStanding(
    string Team,
    string InstanceType,
    int Quota,
    LendingMode Lending,
    int? BorrowLimit,
    double Weight,
    int InUse,
    int Borrowed,
    int Lent,
    int Waiting,
    double FairShareUsage);

/// <summary>Works out <see cref="TeamStanding"/>s from one pool's holders and waiting jobs.</summary>
internal static class TeamStandings
{
    /// <summary>
    /// The standings of every configured team and every team with jobs in the pool, by name. Instances held above quotas
    /// beyond the shared remainder sit on lent quota; they are counted as lent by the lending teams with idle quota, in
    /// name order, since quota is fungible and no instance belongs to one team.
    /// </summary>
    public static IEnumerable<TeamStanding> Of(string pool, int capacity, IReadOnlyList<QueuedJob> holding, IReadOnlyList<QueuedJob> waiting, PoolTeams teams)
    {
        var held = holding.GroupBy(j => j.Team).ToDictionary(g => g.Key, g => g.Sum(j => j.InstanceCount), StringComparer.Ordinal);
        var queued = waiting.GroupBy(j => j.Team).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var names = teams.Configured.Union(held.Keys).Union(queued.Keys).Order(StringComparer.Ordinal).ToList();
        var above = names.Sum(t => Math.Max(0, held.GetValueOrDefault(t) - teams.ShareOf(t).Quota));
        var onLent = Math.Max(0, above - teams.SharedRemainder(capacity));
        foreach (var name in names)
        {
            var share = teams.ShareOf(name);
            var inUse = held.GetValueOrDefault(name);
            var lent = 0;
            if (share.Mode != LendingMode.Reserve && inUse < share.Quota && onLent > 0)
            {
                lent = Math.Min(onLent, share.Quota - inUse);
                onLent -= lent;
            }

            yield return new TeamStanding(name, pool, share.Quota, share.Mode, share.BorrowLimit, share.Weight, inUse, Math.Max(0, inUse - share.Quota), lent, queued.GetValueOrDefault(name), share.Usage);
        }
    }
}
