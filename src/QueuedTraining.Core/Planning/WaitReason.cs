using System.Globalization;

namespace QueuedTraining.Core.Planning;

/// <summary>Why one waiting job has not started: a code and the counts that explain it.</summary>
/// <param name="Code">The reason.</param>
/// <param name="InstanceType">The job's pool.</param>
/// <param name="Ahead">Waiting jobs ahead of it in its pool's queue.</param>
/// <param name="Capacity">The pool's instances (0 when not configured).</param>
/// <param name="InUse">Instances held by jobs of the pool.</param>
/// <param name="Releasing">Held instances that preemption or a stop is releasing.</param>
/// <param name="PreemptibleInUse">Held instances of lower-priority jobs (the policy decides which, if any, it may preempt).</param>
/// <param name="NotBefore">
/// The end of its back-off, for <see cref="WaitReasonCode.BackingOff"/>; when minimum runtimes first allow making room
/// for it, for <see cref="WaitReasonCode.WaitingForMinimumRuntime"/>; when the victims' next checkpoint is expected, for
/// <see cref="WaitReasonCode.WaitingForCheckpoint"/>.
/// </param>
/// <param name="Team">With teams: the job's team.</param>
/// <param name="Quota">With teams: the team's quota of the pool.</param>
/// <param name="Limit">For <see cref="WaitReasonCode.BorrowLimitReached"/>: the team's borrow limit.</param>
/// <param name="OtherTeam">
/// For <see cref="WaitReasonCode.FairShare"/>, the team served first; for <see cref="WaitReasonCode.ReservedForTeam"/>, the
/// teams whose reserve holds the free instances.
/// </param>
public sealed record WaitReason(
    WaitReasonCode Code,
    string InstanceType,
    long Ahead = 0,
    int Capacity = 0,
    int InUse = 0,
    int Releasing = 0,
    int PreemptibleInUse = 0,
    DateTimeOffset? NotBefore = null,
    string? Team = null,
    int Quota = 0,
    int Limit = 0,
    string? OtherTeam = null)
{
    /// <summary>Instances of the pool that nothing holds.</summary>
    public int Free => Capacity - InUse;

    /// <summary>The reason in words, as the API shows it.</summary>
    public string Describe() => Code switch
    {
        WaitReasonCode.BehindInQueue => Invariant($"waiting: {Ahead} job(s) ahead in the {InstanceType} queue"),
        WaitReasonCode.BackingOff => Invariant($"waiting out a back-off after SageMaker refused to start it, until {NotBefore:O}"),
        WaitReasonCode.NoCapacityConfigured => Invariant($"next in line, but no {InstanceType} capacity is configured"),
        WaitReasonCode.StartsNextPass => Invariant($"next in line: {Free} of {Capacity} {InstanceType} instances are free; it starts on the scheduler's next pass"),
        WaitReasonCode.WaitingForRelease => Invariant($"next in line: waiting for {Releasing} {InstanceType} instance(s) that are being released"),
        WaitReasonCode.ReclaimingQuota => Invariant($"next in its team: team {Team} is below its {InstanceType} quota of {Quota}; jobs borrowing it are being preempted to give it back"),
        WaitReasonCode.QuotaExhausted => Invariant($"waiting for capacity: team {Team} uses its {InstanceType} quota of {Quota}, may not borrow, and the shared remainder is in use"),
        WaitReasonCode.FairShare => Invariant($"waiting by fair share: team {OtherTeam} has used less {InstanceType} capacity for its weight than team {Team} and is served first"),
        WaitReasonCode.ReservedForTeam => Invariant($"waiting for capacity: {Free} {InstanceType} instance(s) are free but reserved for team(s) {OtherTeam}"),
        WaitReasonCode.BorrowLimitReached => Invariant($"waiting: team {Team} already holds {Limit} {InstanceType} instance(s) above its quota of {Quota}, its borrow limit"),
        WaitReasonCode.PreemptingForIt => Invariant($"next in line: lower-priority {InstanceType} jobs are being preempted for it"),
        WaitReasonCode.WaitingForMinimumRuntime => Invariant($"next in line: the lower-priority {InstanceType} jobs it could preempt are within their minimum runtime; room can be made for it at {NotBefore:O}"),
        WaitReasonCode.WaitingForCheckpoint => Invariant($"next in line: the lower-priority {InstanceType} jobs to preempt for it are expected to save a checkpoint at {NotBefore:O}; they give way once it is seen"),
        WaitReasonCode.PreemptionBudgetSpent => Invariant($"waiting for capacity: {InUse} of {Capacity} {InstanceType} instances are in use; the lower-priority jobs among them have been preempted as often as they may be and run to their end"),
        _ when PreemptibleInUse == 0 => Invariant($"waiting for capacity: {InUse} of {Capacity} {InstanceType} instances are in use by jobs of equal or higher priority"),
        _ => Invariant($"waiting for capacity: {InUse} of {Capacity} {InstanceType} instances are in use, {PreemptibleInUse} by lower-priority jobs the scheduling policy may preempt"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
