namespace QueuedTraining.Contracts.Queue;

/// <summary>The teams sharing the pools and where each stands (<c>GET /v1/teams</c>).</summary>
public sealed class TeamsResource
{
    /// <summary>One entry per team and pool; empty when the queue has no teams configured.</summary>
    public required IReadOnlyList<TeamPoolResource> Teams { get; init; }
}

/// <summary>One team's share of one pool and its use of it.</summary>
public sealed class TeamPoolResource
{
    /// <summary>The team.</summary>
    public required string Team { get; init; }

    /// <summary>The pool's instance type.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Instances guaranteed to the team.</summary>
    public required int Quota { get; init; }

    /// <summary>How the team lends its idle quota: <c>LendAndBorrow</c>, <c>Lend</c> or <c>Reserve</c>.</summary>
    public required string Lending { get; init; }

    /// <summary>The most instances above its quota the team may hold; absent for no limit.</summary>
    public int? BorrowLimit { get; init; }

    /// <summary>The team's fair-share weight.</summary>
    public required double Weight { get; init; }

    /// <summary>Instances the team's jobs hold.</summary>
    public required int InUse { get; init; }

    /// <summary>Instances it holds above its quota, on the shared remainder or on other teams' lent quota.</summary>
    public required int Borrowed { get; init; }

    /// <summary>Instances of its idle quota that other teams hold.</summary>
    public required int Lent { get; init; }

    /// <summary>Its waiting jobs among the pool's look-ahead (the first waiting jobs the scheduler considers).</summary>
    public required int Waiting { get; init; }

    /// <summary>Its decayed usage of the pool in instance-seconds, which fair share orders teams by (divided by weight).</summary>
    public required double FairShareUsage { get; init; }
}
