using CsCheck;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>
/// Checkpoint-aligned preemption as the planner decides it: a head whose victim is about to save waits for the save,
/// within the grace, and preempts once it is seen.
/// </summary>
public sealed class CheckpointAlignedPreemptionTests
{
    private static readonly DateTimeOffset Now = TestJobs.Epoch.AddHours(5);
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(10);
    private static readonly QueuePlanner Planner = TestPlanners.Priority;
    private static readonly PreemptionRules FiveMinutesGrace = PreemptionRules.None with { CheckpointGrace = TimeSpan.FromMinutes(5) };

    [Fact]
    public void Plan_VictimDueToCheckpointWithinTheGrace_WaitsForTheCheckpointAndSaysWhen()
    {
        var victim = Running("saver", checkpointAgo: TimeSpan.FromMinutes(8), Period);

        var plan = Planner.Plan(Pool([victim], FiveMinutesGrace), Now);

        Assert.Empty(plan.Preemptions);
        var reason = Assert.Single(plan.Waits).Reason;
        Assert.Equal(WaitReasonCode.WaitingForCheckpoint, reason.Code);
        Assert.Equal(Now.AddMinutes(2), reason.NotBefore);
        Assert.Contains("expected to save a checkpoint at " + Now.AddMinutes(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture), reason.Describe(), StringComparison.Ordinal);
        Assert.Equal(reason, WaitingReason.For(Waiting(), 0, [victim], capacity: 1, Now, Planner.Policy, FiveMinutesGrace));
    }

    [Fact]
    public void Plan_TheExpectedCheckpointIsSeen_PreemptsWithAlmostNoWorkLost()
    {
        var at = Now.AddMinutes(2).AddSeconds(40);
        var saved = Running("saver", checkpointAgo: TimeSpan.FromSeconds(40), Period, now: at);

        var plan = Planner.Plan(Pool([saved], FiveMinutesGrace), at);

        Assert.Equal(["saver"], plan.Preemptions.Select(p => p.Victim.Name));
        Assert.Equal(40, VictimOrder.WorkLostInstanceSeconds(saved, at));
        Assert.Equal(WaitReasonCode.PreemptingForIt, Assert.Single(plan.Waits).Reason.Code);
    }

    [Fact]
    public void Plan_GraceZero_PreemptsAtOnceAsBefore()
    {
        var victim = Running("saver", checkpointAgo: TimeSpan.FromMinutes(8), Period);

        var plan = Planner.Plan(Pool([victim], PreemptionRules.None), Now);

        Assert.Equal(["saver"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_PeriodUnknown_PreemptsAtOnceAsBefore()
    {
        var victim = Running("saver", checkpointAgo: TimeSpan.FromMinutes(8), period: null);

        var plan = Planner.Plan(Pool([victim], FiveMinutesGrace), Now);

        Assert.Equal(["saver"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_CheckpointDueAfterTheGrace_PreemptsAtOnce()
    {
        var victim = Running("saver", checkpointAgo: TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(30));

        var plan = Planner.Plan(Pool([victim], FiveMinutesGrace), Now);

        Assert.Equal(["saver"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Theory]
    [InlineData(11.5, false)]
    [InlineData(12.5, true)]
    public void Plan_ExpectedCheckpointNotSeen_WaitsAsLongAsSeeingOneTakesThenPreemptsAnyway(double minutesSinceLastSave, bool preempts)
    {
        var victim = Running("saver", checkpointAgo: TimeSpan.FromMinutes(minutesSinceLastSave), Period);

        var plan = Planner.Plan(Pool([victim], FiveMinutesGrace), Now);

        Assert.Equal(preempts, plan.Preemptions.Count == 1);
    }

    [Fact]
    public void Plan_CheckpointSavedBeforeTheCurrentAttempt_PreemptsAtOnce()
    {
        // The period was learnt in an earlier attempt; when the resumed one first saves is not known.
        var victim = Running("saver", checkpointAgo: TimeSpan.FromMinutes(8), Period, startedAgo: TimeSpan.FromMinutes(5));

        var plan = Planner.Plan(Pool([victim], FiveMinutesGrace), Now);

        Assert.Equal(["saver"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_TwoVictimsOneAboutToSave_NeitherIsPreemptedUntilTheLatestCheckpoint()
    {
        var soon = Running("soon", checkpointAgo: TimeSpan.FromMinutes(9), Period);
        var later = Running("later", checkpointAgo: TimeSpan.FromMinutes(7), Period);
        var loses = Running("loses", checkpointAgo: null, period: null);

        var plan = Planner.Plan(Pool([soon, later, loses], FiveMinutesGrace, needed: 3), Now);

        Assert.Empty(plan.Preemptions);
        Assert.Equal(Now.AddMinutes(3), Assert.Single(plan.Waits).Reason.NotBefore);
    }

    [Fact]
    public void Plan_SavesMoreOftenThanTwiceTheTimeToSeeACheckpoint_PreemptsAtOnce()
    {
        var victim = Running("saver", checkpointAgo: TimeSpan.FromSeconds(200), TimeSpan.FromSeconds(230));

        var plan = Planner.Plan(Pool([victim], FiveMinutesGrace), Now);

        Assert.Equal(["saver"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_VictimSavingOnScheduleSeenLate_IsPreemptedWithinTheGraceAndLosesLittleWhenWaitedFor()
    {
        // Passes every 30 s; the cache reads every minute and a read serves the next pass, as in the scheduler. The wait
        // must end, within the grace plus the time to see a checkpoint, and a victim waited for must lose no more than that.
        var run = Gen.Select(Gen.Int[4, 60], Gen.Int[0, 30], Gen.Int[0, 3_600], Gen.Int[0, 59]);
        run.Sample((periodMinutes, graceMinutes, firstPassSeconds, readPhaseSeconds) =>
        {
            var period = TimeSpan.FromMinutes(periodMinutes);
            var rules = PreemptionRules.None with { CheckpointGrace = TimeSpan.FromMinutes(graceMinutes) };
            var started = Now - TimeSpan.FromHours(2);
            var first = Now.AddSeconds(firstPassSeconds);
            DateTimeOffset? LastSaveBy(DateTimeOffset at) => at - started < period ? null : started + (period * Math.Floor((at - started) / period));

            var waited = false;
            for (var at = first; at < first.AddHours(2); at = at.AddSeconds(30))
            {
                var lastRead = at.AddSeconds(-30 - ((at - Now).TotalSeconds + readPhaseSeconds) % 60);
                var victim = TestJobs.Job("saver", priority: 1, JobState.Running, enqueuedAt: started.AddMinutes(-1)).WithNewAttempt(new JobAttempt(1, "saver", started))
                    with { CheckpointS3Uri = "s3://bucket/checkpoints/saver/", LastCheckpointAt = LastSaveBy(lastRead), CheckpointPeriod = period };
                var plan = Planner.Plan(Pool([victim], rules), at);
                if (plan.Preemptions.Count == 1)
                {
                    Assert.InRange(at - first, TimeSpan.Zero, rules.CheckpointGrace + rules.CheckpointSeenWithin);
                    Assert.True(!waited || at - LastSaveBy(at) <= rules.CheckpointSeenWithin, $"waited, then lost {at - LastSaveBy(at)}");
                    return;
                }

                Assert.Equal(WaitReasonCode.WaitingForCheckpoint, Assert.Single(plan.Waits).Reason.Code);
                waited = true;
            }

            Assert.Fail("The head waited for two hours.");
        });
    }

    [Fact]
    public void Plan_QuotaReclaimFromAVictimAboutToSave_WaitsForTheCheckpointBeforeReclaiming()
    {
        var teams = TeamPlannerTests.Teams(TeamPlannerTests.Share("a", 1), TeamPlannerTests.Share("b", 1));
        var borrowers = new[] { "b1", "b2" }.Select(name => Running(name, checkpointAgo: TimeSpan.FromMinutes(8), Period) with { Team = "b" }).ToList();
        var pool = TeamPlannerTests.Pool(2, borrowers, [TeamPlannerTests.Waiting("a1", "a")], teams) with { Rules = FiveMinutesGrace };

        var plan = Planner.Plan(pool, Now);
        var withoutGrace = Planner.Plan(pool with { Rules = PreemptionRules.None }, Now);

        Assert.Empty(plan.Preemptions);
        var reason = Assert.Single(plan.Waits).Reason;
        Assert.Equal(WaitReasonCode.WaitingForCheckpoint, reason.Code);
        Assert.Equal(Now.AddMinutes(2), reason.NotBefore);
        Assert.Equal("a", Assert.Single(withoutGrace.Preemptions).ReclaimedFor);
    }

    private static QueuedJob Running(string name, TimeSpan? checkpointAgo, TimeSpan? period, TimeSpan? startedAgo = null, DateTimeOffset? now = null)
    {
        var at = now ?? Now;
        var started = at - (startedAgo ?? TimeSpan.FromHours(2));
        var job = TestJobs.Job(name, priority: 1, JobState.Running, enqueuedAt: started.AddMinutes(-1))
            .WithNewAttempt(new JobAttempt(1, name, started));
        return checkpointAgo is { } ago
            ? job with { CheckpointS3Uri = $"s3://bucket/checkpoints/{name}/", LastCheckpointAt = at - ago, CheckpointPeriod = period }
            : job;
    }

    private static QueuedJob Waiting(int count = 1) => TestJobs.Job("high", priority: 5, instanceCount: count, enqueuedAt: Now.AddMinutes(-1));

    private static PoolSnapshot Pool(IReadOnlyList<QueuedJob> holding, PreemptionRules rules, int needed = 1) =>
        PreemptionRulesTests.Pool(holding, [Waiting(needed)], rules);
}
