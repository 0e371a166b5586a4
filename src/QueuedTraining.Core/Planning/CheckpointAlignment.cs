using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Planning;

/// <summary>
/// Checkpoint-aligned preemption: when victims chosen for a head are about to save a checkpoint, the head waits for it
/// (<see cref="PreemptionRules.CheckpointGrace"/>) so that they give way having lost next to nothing. Stateless, like
/// the rest of the planner: each pass asks again from the victims' <see cref="QueuedJob.LastCheckpointAt"/> and
/// <see cref="QueuedJob.CheckpointPeriod"/>, so a wait ends on the first pass that sees the checkpoint, or once it is
/// overdue by more than <see cref="PreemptionRules.CheckpointSeenWithin"/> when it is not seen.
/// </summary>
internal static class CheckpointAlignment
{
    /// <summary>
    /// The latest time one of <paramref name="victims"/> is expected to save a checkpoint worth waiting for at
    /// <paramref name="now"/>, or null to preempt them now.
    /// </summary>
    public static DateTimeOffset? WaitUntil(IReadOnlyList<QueuedJob> victims, PreemptionRules rules, DateTimeOffset now)
    {
        if (rules.CheckpointGrace <= TimeSpan.Zero)
        {
            return null;
        }

        DateTimeOffset? until = null;
        foreach (var victim in victims)
        {
            if (ExpectedCheckpoint(victim, rules, now) is { } expected && (until is null || expected > until))
            {
                until = expected;
            }
        }

        return until;
    }

    /// <summary>
    /// When <paramref name="job"/> is expected to save next, if waiting for it is worth it at <paramref name="now"/>:
    /// <list type="bullet">
    /// <item>its current attempt has saved and its period is known and at least twice
    /// <see cref="PreemptionRules.CheckpointSeenWithin"/> (a job saving more often has little to lose);</item>
    /// <item>the save is due within the grace, or overdue by at most <see cref="PreemptionRules.CheckpointSeenWithin"/>
    /// (written, not yet seen);</item>
    /// <item>more than half a period is unsaved. A checkpoint is seen within <see cref="PreemptionRules.CheckpointSeenWithin"/>,
    /// at most half a period, so the first pass that sees it never waits again: this is what ends each wait, and bounds
    /// it by the grace plus <see cref="PreemptionRules.CheckpointSeenWithin"/>.</item>
    /// </list>
    /// </summary>
    private static DateTimeOffset? ExpectedCheckpoint(QueuedJob job, PreemptionRules rules, DateTimeOffset now)
    {
        if (job.CheckpointS3Uri is null
            || job.LastCheckpointAt is not { } last
            || job.CheckpointPeriod is not { } period
            || period < rules.CheckpointSeenWithin * 2
            || job.CurrentAttempt is not { } attempt
            || last < attempt.StartedAt)
        {
            return null;
        }

        var expected = last + period;
        var halfPeriodUnsaved = now - last > period / 2;
        return halfPeriodUnsaved && expected - now <= rules.CheckpointGrace && now - expected <= rules.CheckpointSeenWithin ? expected : null;
    }
}
