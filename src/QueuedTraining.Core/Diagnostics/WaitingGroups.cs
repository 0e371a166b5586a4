using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Diagnostics;

/// <summary>
/// Waiting jobs of one pool counted by team and priority band, for the <c>queuedtraining.team.jobs.waiting</c> gauge.
/// Both labels are bounded: a team is one of the configured teams or <see cref="QueuedJob.DefaultTeam"/> (a job whose team
/// is not configured, possible when an operator tags one, folds into it), and a band is one of <see cref="Bands"/>. Every
/// team and band is counted, zeros included, so a series reads 0 rather than vanishing when its jobs start.
/// </summary>
internal sealed class WaitingGroups
{
    /// <summary>The priority bands, lowest first: fixed ranges of a job's own priority (aging does not move a job between bands).</summary>
    public static readonly IReadOnlyList<string> Bands = ["negative", "0-9", "10-99", "100-999", "1000+"];

    private readonly string[] _teams;
    private readonly long[] _counts;

    private WaitingGroups(string[] teams, long[] counts)
    {
        _teams = teams;
        _counts = counts;
    }

    /// <summary>No team configured, nothing waiting.</summary>
    public static WaitingGroups Empty { get; } = new([QueuedJob.DefaultTeam], new long[Bands.Count]);

    /// <summary>Counts <paramref name="waiting"/> over <paramref name="teams"/> (the configured teams) and the default team.</summary>
    public static WaitingGroups Count(IEnumerable<string> teams, IEnumerable<QueuedJob> waiting)
    {
        var names = teams.Where(team => team != QueuedJob.DefaultTeam).Order(StringComparer.Ordinal).Prepend(QueuedJob.DefaultTeam).ToArray();
        var groups = new WaitingGroups(names, new long[names.Length * Bands.Count]);
        foreach (var job in waiting)
        {
            groups._counts[groups.IndexOf(job)]++;
        }

        return groups;
    }

    /// <summary>The band of <paramref name="priority"/>.</summary>
    public static string BandOf(int priority) => Bands[BandIndex(priority)];

    /// <summary>These counts with <paramref name="job"/> no longer waiting (it was claimed for a start).</summary>
    public WaitingGroups Without(QueuedJob job)
    {
        var counts = (long[])_counts.Clone();
        var index = IndexOf(job);
        counts[index] = Math.Max(0, counts[index] - 1);
        return new WaitingGroups(_teams, counts);
    }

    /// <summary>Each team and band with its count.</summary>
    public IEnumerable<(string Team, string Band, long Count)> Read()
    {
        for (var team = 0; team < _teams.Length; team++)
        {
            for (var band = 0; band < Bands.Count; band++)
            {
                yield return (_teams[team], Bands[band], _counts[(team * Bands.Count) + band]);
            }
        }
    }

    private static int BandIndex(int priority) => priority switch
    {
        < 0 => 0,
        < 10 => 1,
        < 100 => 2,
        < 1000 => 3,
        _ => 4,
    };

    private int IndexOf(QueuedJob job)
    {
        var team = Array.IndexOf(_teams, job.Team);
        return (Math.Max(0, team) * Bands.Count) + BandIndex(job.Priority);
    }
}
