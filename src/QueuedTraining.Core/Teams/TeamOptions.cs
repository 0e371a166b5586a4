using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Teams;

/// <summary>
/// One team's share of the pools, bound from <c>QueuedTraining:Teams:&lt;team&gt;</c>: for example
/// <c>QueuedTraining:Teams:vision:Quota:ml.p4d.24xlarge=4</c> and <c>QueuedTraining:Teams:vision:Lending:ml.p4d.24xlarge=Reserve</c>.
/// A team configured nowhere has no quota, borrows without limit and weighs 1.
/// </summary>
public sealed class TeamOptions
{
    /// <summary>Instances guaranteed to the team per instance type; a team below its quota takes lent instances back.</summary>
    public Dictionary<string, int> Quota { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How the team lends and borrows per instance type; <see cref="LendingMode.LendAndBorrow"/> where not named.</summary>
    public Dictionary<string, LendingMode> Lending { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The most instances above its quota the team may hold per instance type, on the shared remainder and on lent quota
    /// together; no limit where not named.
    /// </summary>
    public Dictionary<string, int> BorrowLimit { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The team's weight in fair share: a team of weight 2 is entitled to twice the instance-time of weight 1.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>The highest priority members of the team may give a job (operators excepted); null for no team ceiling.</summary>
    public int? MaxPriority { get; set; }

    /// <summary>Principals who may tag a job for this team besides those whose own team it is.</summary>
    public List<string> Members { get; set; } = [];
}
