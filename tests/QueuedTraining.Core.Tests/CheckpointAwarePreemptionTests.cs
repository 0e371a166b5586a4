using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Which running job gives way when some checkpoint and some do not, as the planner decides it.</summary>
public sealed class CheckpointAwarePreemptionTests
{
    private static readonly DateTimeOffset Now = TestJobs.Epoch.AddHours(5);
    private static readonly QueuePlanner Planner = TestPlanners.Priority;
    private static readonly QueuePlanner Baseline = new(new PriorityPreemptionPolicy(VictimOrdering.MostRecentlyStarted), TestPlanners.Settings);
    private static readonly PreemptionRules NoLimits = PreemptionRules.None;

    [Fact]
    public void Plan_CheckpointedAndUncheckpointedVictims_TheCheckpointedOneGivesWay()
    {
        // The uncheckpointed job started last, so today's order would stop it and lose its hour of work.
        var saves = Running("saves", priority: 1, startedAgo: TimeSpan.FromHours(3), checkpointAgo: TimeSpan.FromMinutes(5));
        var loses = Running("loses", priority: 1, startedAgo: TimeSpan.FromHours(1));

        var plan = Planner.Plan(Pool([saves, loses], [Waiting("high", priority: 5)], NoLimits), Now);

        Assert.Equal(["saves"], plan.Preemptions.Select(p => p.Victim.Name));
        Assert.Equal(["loses"], Baseline.Plan(Pool([saves, loses], [Waiting("high", priority: 5)], NoLimits), Now).Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_LeastUnsavedTimeOrder_StopsTheJobThatLosesLeastWhetherItCheckpointsOrNot()
    {
        var unsaved = new QueuePlanner(new PriorityPreemptionPolicy(VictimOrdering.LeastUnsavedTime), Planner.Settings);
        var savedLongAgo = Running("saved-long-ago", priority: 1, startedAgo: TimeSpan.FromHours(2), checkpointAgo: TimeSpan.FromMinutes(25));
        var justStarted = Running("just-started", priority: 1, startedAgo: TimeSpan.FromMinutes(2));
        var pool = Pool([savedLongAgo, justStarted], [Waiting("high", priority: 5)], NoLimits);

        Assert.Equal(["just-started"], unsaved.Plan(pool, Now).Preemptions.Select(p => p.Victim.Name));
        Assert.Equal(["saved-long-ago"], Planner.Plan(pool, Now).Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_TwoCheckpointedVictims_TheOneThatSavedMostRecentlyGivesWay()
    {
        var savedLongAgo = Running("saved-long-ago", priority: 1, startedAgo: TimeSpan.FromHours(2), checkpointAgo: TimeSpan.FromMinutes(50));
        var savedJustNow = Running("saved-just-now", priority: 1, startedAgo: TimeSpan.FromHours(4), checkpointAgo: TimeSpan.FromMinutes(2));

        var plan = Planner.Plan(Pool([savedLongAgo, savedJustNow], [Waiting("high", priority: 5)], NoLimits), Now);

        Assert.Equal(["saved-just-now"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_CheckpointOlderThanTheAttempt_CountsWorkFromTheAttemptStart()
    {
        // "resumed" saved last before its current attempt began an hour ago; "fresh" started 30 minutes ago.
        var resumed = Running("resumed", priority: 1, startedAgo: TimeSpan.FromHours(1), checkpointAgo: TimeSpan.FromHours(2));
        var fresh = Running("fresh", priority: 1, startedAgo: TimeSpan.FromMinutes(30), checkpointAgo: TimeSpan.FromHours(3));

        Assert.Equal(3600, VictimOrder.WorkLostInstanceSeconds(resumed, Now));
        Assert.Equal(["fresh"], Planner.Plan(Pool([resumed, fresh], [Waiting("high", priority: 5)], NoLimits), Now).Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_CheckpointedVictimsCannotMakeRoom_UncheckpointedOnesGiveWayAsALastResort()
    {
        var saves = Running("saves", priority: 1, startedAgo: TimeSpan.FromHours(1), checkpointAgo: TimeSpan.FromMinutes(1));
        var loses = Running("loses", priority: 1, startedAgo: TimeSpan.FromHours(1));

        var plan = Planner.Plan(Pool([saves, loses], [Waiting("big", priority: 5, count: 2)], NoLimits), Now);

        Assert.Equal(["saves", "loses"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_UncheckpointedJobOfLowerPriority_GivesWayBeforeACheckpointedJobOfHigherPriority()
    {
        // A victim of higher priority would soon preempt the lower one in turn: priority orders victims first.
        var lowLoses = Running("low-loses", priority: 1, startedAgo: TimeSpan.FromHours(1));
        var midSaves = Running("mid-saves", priority: 3, startedAgo: TimeSpan.FromHours(1), checkpointAgo: TimeSpan.FromMinutes(1));

        var plan = Planner.Plan(Pool([midSaves, lowLoses], [Waiting("high", priority: 5)], NoLimits), Now);

        Assert.Equal(["low-loses"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_SameUnsavedTime_PrefersOneWideJobToSeveralNarrowOnes()
    {
        var wide = Running("wide", priority: 1, startedAgo: TimeSpan.FromMinutes(10), count: 4);
        var narrow = Enumerable.Range(0, 4).Select(i => Running($"narrow-{i}", priority: 1, startedAgo: TimeSpan.FromMinutes(11))).ToList();

        var plan = Planner.Plan(Pool([.. narrow, wide], [Waiting("big", priority: 5, count: 4)], NoLimits), Now);

        Assert.Equal(["wide"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_PoolNeverPreemptsUncheckpointedJobs_OnlyCheckpointedOnesGiveWayOrNone()
    {
        var never = NoLimits with { Uncheckpointed = UncheckpointedPreemption.Never };
        var saves = Running("saves", priority: 1, startedAgo: TimeSpan.FromHours(1), checkpointAgo: TimeSpan.FromMinutes(1));
        var loses = Running("loses", priority: 1, startedAgo: TimeSpan.FromHours(1));

        var big = Planner.Plan(Pool([saves, loses], [Waiting("big", priority: 5, count: 2)], never), Now);
        var small = Planner.Plan(Pool([loses], [Waiting("small", priority: 5)], never), Now);

        Assert.Empty(big.Preemptions);
        Assert.Equal(WaitReasonCode.CapacityInUse, Assert.Single(big.Waits).Reason.Code);
        Assert.Empty(small.Preemptions);
        Assert.False(never.MayPreempt(loses, Now));
        Assert.True(never.MayPreempt(saves, Now));
    }

    [Fact]
    public void WorkLostInstanceSeconds_MultiInstanceJob_CountsEveryInstance()
    {
        var wide = Running("wide", priority: 1, startedAgo: TimeSpan.FromMinutes(10), count: 4);

        Assert.Equal(4 * 600, VictimOrder.WorkLostInstanceSeconds(wide, Now));
    }

    private static QueuedJob Running(string name, int priority, TimeSpan startedAgo, TimeSpan? checkpointAgo = null, int count = 1)
    {
        var job = TestJobs.Job(name, priority, JobState.Running, instanceCount: count, enqueuedAt: Now - startedAgo - TimeSpan.FromMinutes(1))
            .WithNewAttempt(new JobAttempt(1, name, Now - startedAgo));
        return checkpointAgo is { } ago ? job with { CheckpointS3Uri = $"s3://bucket/checkpoints/{name}/", LastCheckpointAt = Now - ago } : job;
    }

    private static QueuedJob Waiting(string name, int priority, int count = 1) =>
        TestJobs.Job(name, priority, instanceCount: count, enqueuedAt: Now.AddMinutes(-1));

    private static PoolSnapshot Pool(IReadOnlyList<QueuedJob> holding, IReadOnlyList<QueuedJob> waiting, PreemptionRules rules) =>
        PreemptionRulesTests.Pool(holding, waiting, rules);
}
