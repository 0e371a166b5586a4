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

    private static readonly string[] NoTeams = [QueuedJob.DefaultTeam];

    // What a pass read, counted only when the gauge is read: the scheduler passes many times a second, an exporter
    // collects every few seconds, and with many teams counting every pass cost more than planning it.
    private readonly string[] _teams;
    private readonly IReadOnlyCollection<QueuedJob> _waiting;
    private readonly QueuedJob[] _claimed;
    private long[]? _counts;

    private WaitingGroups(string[] teams, IReadOnlyCollection<QueuedJob> waiting, QueuedJob[] claimed)
    {
        _teams = teams;
        _waiting = waiting;
        _claimed = claimed;
    }

    /// <summary>No team configured, nothing waiting.</summary>
    public static WaitingGroups Empty { get; } = new(NoTeams, [], []);

    /// <summary>The labels for <paramref name="teams"/> (the configured teams): the default team first, then the rest in order.</summary>
    public static string[] TeamLabels(IEnumerable<string> teams) =>
        teams.Where(team => team != QueuedJob.DefaultTeam).Order(StringComparer.Ordinal).Prepend(QueuedJob.DefaultTeam).ToArray();

    /// <summary>
    /// <paramref name="waiting"/> to be counted over <paramref name="teamLabels"/> (from <see cref="TeamLabels"/>); neither
    /// may change afterwards.
    /// </summary>
    public static WaitingGroups Of(string[] teamLabels, IReadOnlyCollection<QueuedJob> waiting) => new(teamLabels, waiting, []);

    /// <summary>The band of <paramref name="priority"/>.</summary>
    public static string BandOf(int priority) => Bands[BandIndex(priority)];

    /// <summary>These counts with <paramref name="job"/> no longer waiting (it was claimed for a start).</summary>
    public WaitingGroups Without(QueuedJob job) => new(_teams, _waiting, [.. _claimed, job]);

    /// <summary>Each team and band with its count.</summary>
    public IEnumerable<(string Team, string Band, long Count)> Read()
    {
        var counts = _counts ??= Count();
        for (var team = 0; team < _teams.Length; team++)
        {
            for (var band = 0; band < Bands.Count; band++)
            {
                yield return (_teams[team], Bands[band], counts[(team * Bands.Count) + band]);
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

    private long[] Count()
    {
        var counts = new long[_teams.Length * Bands.Count];
        foreach (var job in _waiting)
        {
            counts[IndexOf(job)]++;
        }

        foreach (var job in _claimed)
        {
            var index = IndexOf(job);
            counts[index] = Math.Max(0, counts[index] - 1);
        }

        return counts;
    }

    private int IndexOf(QueuedJob job)
    {
        var team = Array.IndexOf(_teams, job.Team);
        return (Math.Max(0, team) * Bands.Count) + BandIndex(job.Priority);
    }
}
