using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Teams;

/// <summary>Turns the team settings of <see cref="QueueOptions"/> into one pool's <see cref="PoolTeams"/>.</summary>
internal static class TeamShares
{
    // The configured shares of each pool, per version of the settings: an options reload makes a new QueueOptions, so a
    // change is picked up at the next pass, and an old version's entry goes with it.
    private static readonly ConditionalWeakTable<QueueOptions, ConcurrentDictionary<string, PoolTeams>> Configured = [];

    /// <summary>The teams of <paramref name="pool"/> with <paramref name="usage"/>; null when no team is configured.</summary>
    public static PoolTeams? For(QueueOptions options, string pool, IReadOnlyDictionary<string, double> usage)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.HasTeams)
        {
            return null;
        }

        return Configured.GetValue(options, static _ => new(StringComparer.Ordinal))
            .GetOrAdd(pool, static (pool, options) => Build(options, pool), options)
            .WithUsage(usage);
    }

    private static PoolTeams Build(QueueOptions options, string pool)
    {
        var shares = new Dictionary<string, TeamShare>(StringComparer.Ordinal);
        foreach (var (team, settings) in options.Teams)
        {
            shares[team] = new TeamShare(
                team,
                settings.Quota.GetValueOrDefault(pool),
                settings.Lending.GetValueOrDefault(pool, LendingMode.LendAndBorrow),
                settings.BorrowLimit.TryGetValue(pool, out var limit) ? limit : null,
                settings.Weight,
                Usage: 0);
        }

        return new PoolTeams(shares);
    }
}
