using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>What the scheduler should do in one pool, and why every waiting job it looked at waits.</summary>
/// <param name="InstanceType">The pool.</param>
/// <param name="Starts">Waiting jobs to start, in queue order.</param>
/// <param name="Preemptions">Running jobs to stop, each for the waiting job it makes room for.</param>
/// <param name="StaleClaims">Starting jobs whose CreateTrainingJob should be sent again.</param>
/// <param name="Waits">Every considered waiting job that does not start, with its reason, in queue order.</param>
/// <param name="NeedsMoreWaiting">
/// True when the snapshot's waiting jobs ran out before the plan met a job that blocks the pool: read up to
/// <see cref="PlannerSettings.LookAhead"/> of them and plan again.
/// </param>
/// <param name="Sources">With teams: whose capacity each start runs on, by job name; null without teams.</param>
internal sealed record PoolPlan(
    string InstanceType,
    IReadOnlyList<QueuedJob> Starts,
    IReadOnlyList<Preemption> Preemptions,
    IReadOnlyList<QueuedJob> StaleClaims,
    IReadOnlyList<WaitDecision> Waits,
    bool NeedsMoreWaiting,
    IReadOnlyDictionary<string, CapacitySource>? Sources = null)
{
    /// <summary>True when the plan asks for no action.</summary>
    public bool IsIdle => Starts.Count == 0 && Preemptions.Count == 0 && StaleClaims.Count == 0;
}

/// <summary>A running job to preempt.</summary>
/// <param name="Victim">The running job.</param>
/// <param name="For">The waiting job it gives way to.</param>
/// <param name="Rule">The rule that allowed it.</param>
internal sealed record Preemption(QueuedJob Victim, QueuedJob For, PreemptionRule Rule = PreemptionRule.HigherPriority)
{
    /// <summary>
    /// When the victim runs above its team's quota and is stopped to give another team back its lent quota: that team.
    /// </summary>
    public string? ReclaimedFor { get; init; }
}

/// <summary>A waiting job that stays waiting, and why.</summary>
/// <param name="Job">The job.</param>
/// <param name="Reason">Why.</param>
internal sealed record WaitDecision(QueuedJob Job, WaitReason Reason);
