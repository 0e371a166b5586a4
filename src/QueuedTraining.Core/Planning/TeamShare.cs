namespace QueuedTraining.Core.Planning;

/// <summary>One team's standing in one pool, as a plan takes it.</summary>
/// <param name="Team">The team.</param>
/// <param name="Quota">Instances of the pool guaranteed to it.</param>
/// <param name="Mode">How it lends its idle quota and whether it borrows.</param>
/// <param name="BorrowLimit">The most instances above its quota it may hold; null for no limit.</param>
/// <param name="Weight">Its fair-share weight.</param>
/// <param name="Usage">Its decayed usage of the pool, in instance-seconds, at the time of the plan.</param>
internal sealed record TeamShare(string Team, int Quota, LendingMode Mode, int? BorrowLimit, double Weight, double Usage)
{
    /// <summary>The standing of a team configured nowhere: no quota, borrows freely, weighs 1.</summary>
    public static TeamShare Unconfigured(string team, double usage = 0) => new(team, 0, LendingMode.LendAndBorrow, null, 1, usage);

    /// <summary>True when it may use other teams' lent quota, not only the shared remainder.</summary>
    public bool Borrows => Mode == LendingMode.LendAndBorrow;

    /// <summary>Its fair-share score: decayed usage per unit of weight; lower goes first.</summary>
    public double Score => Usage / Weight;
}

/// <summary>
/// The teams of one pool: their configured shares, their usage at the time of a plan, and the settings of teams
/// configured nowhere. The configured part is built once per version of the settings (<see cref="WithUsage"/> adds a
/// pass's usage), so that a pass with a thousand teams does not rebuild a thousand shares, and only teams with a quota
/// are walked when idle quota is counted.
/// </summary>
internal sealed class PoolTeams
{
    private readonly IReadOnlyDictionary<string, TeamShare> _configured;
    private readonly IReadOnlyDictionary<string, double>? _usage;
    private readonly TeamShare[] _withQuota;
    private readonly int _totalQuota;
    private readonly Dictionary<string, TeamShare> _current = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Teams with these shares, usage included.</summary>
    /// <param name="shares">The configured teams' shares, by team.</param>
    public PoolTeams(IReadOnlyDictionary<string, TeamShare> shares)
        : this(shares, usage: null, [.. shares.Values.Where(s => s.Quota > 0).OrderBy(s => s.Team, StringComparer.Ordinal)], shares.Values.Sum(s => s.Quota))
    {
    }

    private PoolTeams(IReadOnlyDictionary<string, TeamShare> configured, IReadOnlyDictionary<string, double>? usage, TeamShare[] withQuota, int totalQuota)
    {
        _configured = configured;
        _usage = usage;
        _withQuota = withQuota;
        _totalQuota = totalQuota;
    }

    /// <summary>The configured teams.</summary>
    public IEnumerable<string> Configured => _configured.Keys;

    /// <summary>
    /// The configured teams that hold a quota of the pool, in name order. Their <see cref="TeamShare.Usage"/> is as
    /// configured, not this plan's: ask <see cref="ShareOf"/> for that.
    /// </summary>
    public IReadOnlyList<TeamShare> WithQuota => _withQuota;

    /// <summary>The same teams with <paramref name="usage"/> (by team, configured or not) as their usage.</summary>
    public PoolTeams WithUsage(IReadOnlyDictionary<string, double> usage) => new(_configured, usage, _withQuota, _totalQuota);

    /// <summary>The share of <paramref name="team"/>: its configured one, or that of an unconfigured team.</summary>
    public TeamShare ShareOf(string team)
    {
        if (_usage is null)
        {
            return _configured.TryGetValue(team, out var configured) ? configured : TeamShare.Unconfigured(team);
        }

        lock (_gate)
        {
            if (!_current.TryGetValue(team, out var share))
            {
                var usage = _usage.GetValueOrDefault(team);
                share = _configured.TryGetValue(team, out var configured) ? configured with { Usage = usage } : TeamShare.Unconfigured(team, usage);
                _current[team] = share;
            }

            return share;
        }
    }

    /// <summary>The instances of a pool of <paramref name="capacity"/> outside every quota.</summary>
    public int SharedRemainder(int capacity) => capacity - _totalQuota;
}

/// <summary>Whose capacity a start runs on.</summary>
internal enum CapacitySource
{
    /// <summary>The team's own quota.</summary>
    OwnQuota,

    /// <summary>The shared remainder: capacity outside every quota.</summary>
    SharedRemainder,

    /// <summary>Quota another team lends while it does not use it; that team takes it back when it needs it.</summary>
    Borrowed,
}
