using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>One pool as the planner sees it: everything a decision about it depends on, read at one moment.</summary>
/// <param name="InstanceType">The pool.</param>
/// <param name="Capacity">Its configured instances.</param>
/// <param name="Holding">Its jobs that hold instances (starting, running, preempting, stopping).</param>
/// <param name="Waiting">The first of its waiting jobs, in queue order.</param>
/// <param name="WaitingIsComplete">True when <paramref name="Waiting"/> holds every waiting job of the pool.</param>
/// <param name="Rules">
/// What protects its running jobs from preemption (each job's attempt start, minimum runtime request and preemptions
/// are on the job); <see cref="PreemptionRules.None"/> when null.
/// </param>
/// <param name="Aging">How waiting lifts priorities in the pool; <see cref="Planning.Aging.Off"/> when null.</param>
/// <param name="Teams">
/// The teams sharing the pool, when teams are configured: then quotas, lending and fair share apply (see
/// <see cref="TeamPlanner"/>). Null plans by priority alone, as one team.
/// </param>
internal sealed record PoolSnapshot(
    string InstanceType,
    int Capacity,
    IReadOnlyList<QueuedJob> Holding,
    IReadOnlyList<QueuedJob> Waiting,
    bool WaitingIsComplete,
    PreemptionRules? Rules = null,
    Aging? Aging = null,
    PoolTeams? Teams = null)
{
    /// <summary>The rules in force: <see cref="Rules"/>, or none.</summary>
    public PreemptionRules RulesInForce => Rules ?? PreemptionRules.None;

    /// <summary>The aging in force: <see cref="Aging"/>, or none.</summary>
    public Aging AgingInForce => Aging ?? Planning.Aging.Off;
}
