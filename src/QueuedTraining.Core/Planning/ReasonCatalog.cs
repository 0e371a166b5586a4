namespace QueuedTraining.Core.Planning;

/// <summary>
/// Every reason the queue gives, as a stable machine-readable code and a sentence: why a waiting job waits
/// (<see cref="WaitReasonCode"/>) and why a running job was preempted (<see cref="PreemptionRule"/>). The code is what
/// programs match on and never changes; the job resource's reason adds the counts and times of the moment.
/// docs/preemption.md shows each with an example; a test keeps the two in step.
/// </summary>
public static class ReasonCatalog
{
    private static readonly Dictionary<WaitReasonCode, ReasonEntry> Waits = new()
    {
        [WaitReasonCode.BehindInQueue] = new("BehindInQueue", "Other jobs of its pool are ahead of it in queue order."),
        [WaitReasonCode.BackingOff] = new("BackingOff", "SageMaker refused to start it a moment ago; it waits out a back-off before the next try."),
        [WaitReasonCode.NoCapacityConfigured] = new("NoCapacityConfigured", "It is next in line, but its pool has no configured capacity."),
        [WaitReasonCode.StartsNextPass] = new("StartsNextPass", "It is next in line and fits the free instances; the scheduler's next pass starts it."),
        [WaitReasonCode.WaitingForRelease] = new("WaitingForRelease", "It is next in line and waits for instances that a preemption or a stop is releasing."),
        [WaitReasonCode.PreemptingForIt] = new("PreemptingForIt", "It is next in line; lower-priority jobs are being preempted to make room for it."),
        [WaitReasonCode.CapacityInUse] = new("CapacityInUse", "It is next in line; its pool's instances are held by jobs the scheduler will not preempt for it."),
        [WaitReasonCode.WaitingForMinimumRuntime] = new("WaitingForMinimumRuntime", "It is next in line; the jobs it could preempt are within their minimum runtime, until the time given."),
        [WaitReasonCode.PreemptionBudgetSpent] = new("PreemptionBudgetSpent", "It is next in line; the lower-priority jobs that could make room have spent their preemption budget and run to their end."),
        [WaitReasonCode.QuotaExhausted] = new("QuotaExhausted", "Its team holds its whole quota and may not borrow, and the capacity no team owns is in use."),
        [WaitReasonCode.FairShare] = new("FairShare", "Capacity above quotas is scarce, and the named team, with less recent usage for its weight, is served first."),
        [WaitReasonCode.ReservedForTeam] = new("ReservedForTeam", "Instances are free, but they are the idle quota of a team that does not lend it."),
        [WaitReasonCode.BorrowLimitReached] = new("BorrowLimitReached", "Its team already holds as many instances above its quota as its borrow limit allows."),
        [WaitReasonCode.ReclaimingQuota] = new("ReclaimingQuota", "Its team is below its quota; jobs of other teams borrowing that quota are being preempted to give it back."),
        [WaitReasonCode.WaitingForCheckpoint] = new("WaitingForCheckpoint", "It is next in line; the jobs it will preempt are expected to save a checkpoint at the time given, and give way once it is seen."),
    };

    private static readonly Dictionary<PreemptionRule, ReasonEntry> Preemptions = new()
    {
        [PreemptionRule.HigherPriority] = new("PreemptedForHigherPriority", "It was preempted to make room for the named job of strictly higher priority; it resumes from its checkpoint when instances free up."),
        [PreemptionRule.ReclaimQuota] = new("PreemptedToReclaimQuota", "It ran on quota its team borrowed from the named team, which took it back; it resumes from its checkpoint when instances free up."),
    };

    /// <summary>Every entry of the catalog: the waiting reasons, then the preemption rules.</summary>
    public static IReadOnlyList<ReasonEntry> All { get; } = [.. Waits.Values, .. Preemptions.Values];

    /// <summary>The entry of a waiting reason.</summary>
    public static ReasonEntry For(WaitReasonCode code) =>
        Waits.TryGetValue(code, out var entry) ? entry : throw new ArgumentOutOfRangeException(nameof(code), code, "Not in the reason catalog.");

    /// <summary>The entry of a preemption rule.</summary>
    public static ReasonEntry For(PreemptionRule rule) =>
        Preemptions.TryGetValue(rule, out var entry) ? entry : throw new ArgumentOutOfRangeException(nameof(rule), rule, "Not in the reason catalog.");
}

/// <summary>One reason of the <see cref="ReasonCatalog"/>.</summary>
/// <param name="Code">The stable, machine-readable code.</param>
/// <param name="Meaning">What it means, in one sentence.</param>
public sealed record ReasonEntry(string Code, string Meaning);
