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

/// <summary>The teams of one pool: their shares, and the settings of teams configured nowhere.</summary>
/// <param name="Shares">The configured teams' shares, by team.</param>
internal sealed record PoolTeams(IReadOnlyDictionary<string, TeamShare> Shares)
{
    /// <summary>Usage of teams that are not configured, by team.</summary>
    public IReadOnlyDictionary<string, double> OtherUsage { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>The share of <paramref name="team"/>: its configured one, or that of an unconfigured team.</summary>
    public TeamShare ShareOf(string team) =>
        Shares.TryGetValue(team, out var share) ? share : TeamShare.Unconfigured(team, OtherUsage.GetValueOrDefault(team));

    /// <summary>Instances of the pool outside every quota.</summary>
    public int SharedRemainder(int capacity) => capacity - Shares.Values.Sum(s => s.Quota);
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
