using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Teams;

/// <summary>Turns the team settings of <see cref="QueueOptions"/> into one pool's <see cref="PoolTeams"/>.</summary>
internal static class TeamShares
{
    /// <summary>The teams of <paramref name="pool"/>, or null when no teams are configured.</summary>
    public static PoolTeams? For(QueueOptions options, string pool, IReadOnlyDictionary<string, double> usage)
    {
        if (!options.HasTeams)
        {
            return null;
        }

        var shares = new Dictionary<string, TeamShare>(StringComparer.Ordinal);
        foreach (var (team, settings) in options.Teams)
        {
            shares[team] = new TeamShare(
                team,
                settings.Quota.GetValueOrDefault(pool),
                settings.Lending.GetValueOrDefault(pool, LendingMode.LendAndBorrow),
                settings.BorrowLimit.TryGetValue(pool, out var limit) ? limit : null,
                settings.Weight,
                usage.GetValueOrDefault(team));
        }

        return new PoolTeams(shares) { OtherUsage = usage };
    }
}
