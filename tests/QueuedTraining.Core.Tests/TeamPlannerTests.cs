using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Teams;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Scenario tables for pools that teams share: quotas, lending, reclaim, borrow limits and fair share.</summary>
public sealed class TeamPlannerTests
{
    internal static readonly DateTimeOffset Now = TestJobs.Epoch.AddHours(1);
    internal static readonly QueuePlanner Planner = new(new PriorityPreemptionPolicy(), new PlannerSettings(LookAhead: 64, StaleClaimAge: TimeSpan.FromSeconds(30)));

    [Fact]
    public void Plan_OneTeamIdle_TheOtherBorrowsItsQuota()
    {
        var teams = Teams(Share("a", 1), Share("b", 1));

        var plan = Planner.Plan(Pool(2, [], [Waiting("b1", "b"), Waiting("b2", "b")], teams), Now);

        Assert.Equal(["b1", "b2"], plan.Starts.Select(j => j.Name));
        Assert.Equal(CapacitySource.OwnQuota, plan.Sources!["b1"]);
        Assert.Equal(CapacitySource.Borrowed, plan.Sources["b2"]);
    }

    [Fact]
    public void Plan_IdleTeamSubmits_ReclaimsItsQuotaFromTheBorrowerWhateverItsPriority()
    {
        var teams = Teams(Share("a", 1), Share("b", 1));
        var holding = new[] { Running("b1", "b", priority: 1), Running("b2", "b", priority: 900) };

        var plan = Planner.Plan(Pool(2, holding, [Waiting("a1", "a", priority: 0)], teams), Now);

        var preemption = Assert.Single(plan.Preemptions);
        Assert.Equal("a", preemption.ReclaimedFor);
        Assert.Equal("a1", preemption.For.Name);
        Assert.Equal(WaitReasonCode.ReclaimingQuota, Assert.Single(plan.Waits).Reason.Code);
        Assert.Contains("team a is below its", Assert.Single(plan.Waits).Reason.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_Reclaim_StopsTheBorrowersLeastValuableWorkFirst()
    {
        var teams = Teams(Share("a", 2), Share("b", 1));
        var holding = new[] { Running("b-high", "b", priority: 9), Running("b-low", "b", priority: 1), Running("b-mid", "b", priority: 5) };

        var plan = Planner.Plan(Pool(3, holding, [Waiting("a1", "a", count: 2)], teams), Now);

        Assert.Equal(["b-low", "b-mid"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_Reclaim_NeverStopsABorrowerBelowItsOwnQuota()
    {
        var teams = Teams(Share("a", 1), Share("b", 1), Share("c", 1));
        var holding = new[] { Running("b1", "b", priority: 1), Running("b2", "b", priority: 1), Running("c1", "c", priority: 0) };

        var plan = Planner.Plan(Pool(3, holding, [Waiting("a1", "a")], teams), Now);

        Assert.Equal(["b"], plan.Preemptions.Select(p => p.Victim.Team));
    }

    [Fact]
    public void Plan_ReserveTeamIdle_NeverLends()
    {
        var teams = Teams(Share("a", 1, LendingMode.Reserve), Share("b", 1));

        var plan = Planner.Plan(Pool(2, [Running("b1", "b")], [Waiting("b2", "b")], teams), Now);

        Assert.Empty(plan.Starts);
        var reason = Assert.Single(plan.Waits).Reason;
        Assert.Equal(WaitReasonCode.ReservedForTeam, reason.Code);
        Assert.Equal("a", reason.OtherTeam);
        Assert.Contains("reserved for team(s) a", reason.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ReserveTeamSubmits_StartsOnItsIdleQuota()
    {
        var teams = Teams(Share("a", 1, LendingMode.Reserve), Share("b", 1));

        var plan = Planner.Plan(Pool(2, [Running("b1", "b")], [Waiting("a1", "a"), Waiting("b2", "b")], teams), Now);

        Assert.Equal(["a1"], plan.Starts.Select(j => j.Name));
        Assert.Equal(CapacitySource.OwnQuota, plan.Sources!["a1"]);
    }

    [Fact]
    public void Plan_LendOnlyTeamAtQuota_UsesTheSharedRemainderButNotLentQuota()
    {
        var teams = Teams(Share("a", 1, LendingMode.Lend), Share("b", 1));

        var shared = Planner.Plan(Pool(3, [Running("a1", "a")], [Waiting("a2", "a"), Waiting("a3", "a")], teams), Now);

        Assert.Equal(["a2"], shared.Starts.Select(j => j.Name));
        Assert.Equal(CapacitySource.SharedRemainder, shared.Sources!["a2"]);
        Assert.Equal(WaitReasonCode.QuotaExhausted, Assert.Single(shared.Waits).Reason.Code);
    }

    [Fact]
    public void Plan_BorrowLimitReached_WaitsAndLetsOtherTeamsBorrow()
    {
        var teams = Teams(Share("a", 1, limit: 1), Share("b", 0), Share("idle", 2));

        var plan = Planner.Plan(Pool(3, [Running("a1", "a"), Running("a2", "a")], [Waiting("a3", "a"), Waiting("b1", "b")], teams), Now);

        Assert.Equal(["b1"], plan.Starts.Select(j => j.Name));
        var reason = Assert.Single(plan.Waits).Reason;
        Assert.Equal(WaitReasonCode.BorrowLimitReached, reason.Code);
        Assert.Equal(1, reason.Limit);
    }

    [Fact]
    public void Plan_WithinATeamsOwnShare_PreemptsByPriorityAsWithoutTeams()
    {
        var teams = Teams(Share("a", 1), Share("b", 1));
        var holding = new[] { Running("a-low", "a", priority: 1), Running("b1", "b", priority: 0) };

        var plan = Planner.Plan(Pool(2, holding, [Waiting("a-high", "a", priority: 5)], teams), Now);

        var preemption = Assert.Single(plan.Preemptions);
        Assert.Equal("a-low", preemption.Victim.Name);
        Assert.Null(preemption.ReclaimedFor);
    }

    [Fact]
    public void Plan_HigherPriorityOfAnotherTeamAtItsQuota_DoesNotPreemptATeamAtItsQuota()
    {
        var teams = Teams(Share("a", 1), Share("b", 1));
        var holding = new[] { Running("a1", "a", priority: 0), Running("b1", "b", priority: 0) };

        var plan = Planner.Plan(Pool(2, holding, [Waiting("b-urgent", "b", priority: 999)], teams), Now);

        Assert.DoesNotContain(plan.Preemptions, p => p.Victim.Team == "a");
    }

    [Fact]
    public void Plan_TwoTeamsCompeteForTheSharedRemainder_TheOneWithLessUsageForItsWeightGoesFirst()
    {
        var teams = Teams(Share("busy", 0, usage: 10_000), Share("quiet", 0, usage: 100));

        var plan = Planner.Plan(Pool(1, [], [Waiting("busy1", "busy", priority: 9), Waiting("quiet1", "quiet")], teams), Now);

        Assert.Equal(["quiet1"], plan.Starts.Select(j => j.Name));
        var reason = Assert.Single(plan.Waits).Reason;
        Assert.Equal(WaitReasonCode.FairShare, reason.Code);
        Assert.Equal("quiet", reason.OtherTeam);
    }

    [Fact]
    public void Plan_FairShareHeadDoesNotFit_NoOtherTeamJumpsItAboveQuota()
    {
        var teams = Teams(Share("big", 0), Share("small", 0, usage: 50));

        var plan = Planner.Plan(Pool(4, [Running("s0", "small"), Running("s00", "small")], [Waiting("big1", "big", count: 3), Waiting("small1", "small")], teams), Now);

        Assert.Empty(plan.Starts);
        Assert.Equal([WaitReasonCode.CapacityInUse, WaitReasonCode.FairShare], plan.Waits.Select(w => w.Reason.Code));
    }

    [Fact]
    public void Plan_OneTeamsBlockedJob_DoesNotBlockAnotherTeamsQuota()
    {
        var teams = Teams(Share("a", 2), Share("b", 2));

        var plan = Planner.Plan(Pool(4, [Running("a0", "a")], [Waiting("a-big", "a", priority: 9, count: 2), Waiting("b1", "b")], teams), Now);

        Assert.Contains(plan.Starts, j => j.Name == "b1");
    }

    internal static PoolSnapshot Pool(int capacity, IReadOnlyList<QueuedJob> holding, IReadOnlyList<QueuedJob> waiting, PoolTeams teams) =>
        new(TestJobs.P5, capacity, holding, waiting, WaitingIsComplete: true, PreemptionRules.None, Teams: teams);

    internal static PoolTeams Teams(params TeamShare[] shares) => new(shares.ToDictionary(s => s.Team, StringComparer.Ordinal));

    internal static TeamShare Share(string team, int quota, LendingMode mode = LendingMode.LendAndBorrow, int? limit = null, double weight = 1, double usage = 0) =>
        new(team, quota, mode, limit, weight, usage);

    internal static QueuedJob Running(string name, string team, int priority = 0, int count = 1, DateTimeOffset? startedAt = null) =>
        TestJobs.Job(name, priority, JobState.Running, instanceCount: count, enqueuedAt: Now.AddHours(-2)).WithNewAttempt(new JobAttempt(1, name, startedAt ?? Now.AddHours(-1))) with { Team = team };

    internal static QueuedJob Waiting(string name, string team, int priority = 0, int count = 1) =>
        TestJobs.Job(name, priority, instanceCount: count, enqueuedAt: Now.AddMinutes(-1)) with { Team = team };
}
