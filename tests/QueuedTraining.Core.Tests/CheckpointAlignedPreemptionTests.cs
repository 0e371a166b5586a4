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
    private static readonly QueuePlanner Planner = new(new PriorityPreemptionPolicy(), new PlannerSettings(LookAhead: 8, StaleClaimAge: TimeSpan.FromSeconds(30)));
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
    [InlineData(10.5, false)]
    [InlineData(11.5, true)]
    public void Plan_ExpectedCheckpointNotSeen_WaitsOneRefreshIntervalPastItThenPreemptsAnyway(double minutesSinceLastSave, bool preempts)
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
    public void Plan_SavesMoreOftenThanTwoRefreshIntervals_PreemptsAtOnce()
    {
        var victim = Running("saver", checkpointAgo: TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(90));

        var plan = Planner.Plan(Pool([victim], FiveMinutesGrace), Now);

        Assert.Equal(["saver"], plan.Preemptions.Select(p => p.Victim.Name));
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
