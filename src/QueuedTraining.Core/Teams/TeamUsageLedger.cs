using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Teams;

/// <summary>
/// Each team's decayed usage of each pool, kept by the scheduler in memory: every pass observes what each team holds,
/// and the interval since the previous pass is charged at what they held then. Usage is not stored: a new leader starts
/// from zero and catches up within a half-life, which costs no write per pass and no scan of finished jobs.
/// </summary>
internal sealed class TeamUsageLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PoolUsage> _pools = new(StringComparer.Ordinal);

    /// <summary>
    /// Charges the time since the last observation of <paramref name="pool"/>, records what each team holds now, and
    /// returns every team's usage at <paramref name="now"/>.
    /// </summary>
    public IReadOnlyDictionary<string, double> Observe(string pool, IReadOnlyList<QueuedJob> holding, DateTimeOffset now, TimeSpan halfLife)
    {
        var held = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var job in holding)
        {
            held[job.Team] = held.GetValueOrDefault(job.Team) + job.InstanceCount;
        }

        lock (_gate)
        {
            var usage = Advanced(pool, now, halfLife);
            _pools[pool] = new PoolUsage(now, usage, held);
            return usage;
        }
    }

    /// <summary>Every team's usage of <paramref name="pool"/> at <paramref name="now"/>, without recording anything.</summary>
    public IReadOnlyDictionary<string, double> Peek(string pool, DateTimeOffset now, TimeSpan halfLife)
    {
        lock (_gate)
        {
            return Advanced(pool, now, halfLife);
        }
    }

    private Dictionary<string, double> Advanced(string pool, DateTimeOffset now, TimeSpan halfLife)
    {
        var usage = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!_pools.TryGetValue(pool, out var last))
        {
            return usage;
        }

        // Every team with usage or holdings; two loops rather than a LINQ union, as this runs on every pass.
        var elapsed = now - last.At;
        foreach (var (team, used) in last.Usage)
        {
            usage[team] = FairShareUsage.Advance(used, last.Held.GetValueOrDefault(team), elapsed, halfLife);
        }

        foreach (var (team, held) in last.Held)
        {
            if (!last.Usage.ContainsKey(team))
            {
                usage[team] = FairShareUsage.Advance(0, held, elapsed, halfLife);
            }
        }

        return usage;
    }

    private sealed record PoolUsage(DateTimeOffset At, Dictionary<string, double> Usage, Dictionary<string, int> Held);
}
