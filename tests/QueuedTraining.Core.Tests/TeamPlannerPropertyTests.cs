using CsCheck;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Teams;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>The team rules, checked over random shared pools: quotas, lending modes, borrow limits, usage, priorities.</summary>
public sealed class TeamPlannerPropertyTests
{
    private static readonly DateTimeOffset Now = TeamPlannerTests.Now;
    private static readonly string[] Names = ["t0", "t1", "t2", "t3"];
    private static readonly JobState[] HoldingStates = [JobState.Starting, JobState.Running, JobState.Running, JobState.Running, JobState.Preempting, JobState.Stopping];

    private static readonly Gen<QueuedJob> Holder =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 5], Gen.Int[1, 3], Gen.Int[0, HoldingStates.Length - 1], Gen.Int[0, 1_000_000])
            .Select((team, priority, count, state, id) =>
                TeamPlannerTests.Running($"h{id}", Names[team], priority, count, Now.AddSeconds(-id % 5_000)) with { State = HoldingStates[state] });

    private static readonly Gen<QueuedJob> Waiter =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 5], Gen.Int[1, 3], Gen.Int[0, 3_600], Gen.Int[0, 1_000_000])
            .Select((team, priority, count, enqueuedSeconds, id) =>
                TestJobs.Job($"w{id}", priority, instanceCount: count, enqueuedAt: Now.AddSeconds(-enqueuedSeconds)) with { Team = Names[team] });

    private static readonly Gen<TeamShare> Share =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[-1, 2], Gen.Int[1, 3], Gen.Int[0, 10_000])
            .Select((quota, mode, limit, weight, usage) => new TeamShare("?", quota, (LendingMode)mode, limit < 0 ? null : limit, weight, usage));

    private static readonly Gen<PoolSnapshot> Pool =
        Gen.Select(Holder.List[0, 8], Waiter.List[0, 12], Share.Array[3], Gen.Int[0, 4])
            .Select((holding, waiting, shares, spare) =>
            {
                var holders = holding.DistinctBy(j => j.Name).ToList();
                var ordered = waiting.DistinctBy(j => j.Name).OrderBy(j => j.QueueKey, StringComparer.Ordinal).ToList();
                var teams = shares.Select((s, i) => s with { Team = Names[i] }).ToDictionary(s => s.Team, StringComparer.Ordinal);

                // Quotas fit the pool, as start-up validation demands; t3 is a team configured nowhere.
                var capacity = Math.Max(holders.Sum(h => h.InstanceCount) + spare, teams.Values.Sum(s => s.Quota));
                return new PoolSnapshot(TestJobs.P5, capacity, holders, ordered, WaitingIsComplete: true, PreemptionRules.None, Teams: new PoolTeams(teams));
            });

    [Fact]
    public void Plan_RandomSharedPools_DecidesTheSameWhetherOrNotItExplainsWaits()
    {
        var silent = new QueuePlanner(TeamPlannerTests.Planner.Policy, TeamPlannerTests.Planner.Settings with { ExplainWaits = false });
        Pool.Sample(pool => PlanAssert.SameDecisions(TeamPlannerTests.Planner.Plan(pool, Now), silent.Plan(pool, Now)));
    }

    [Fact]
    public void Plan_RandomSharedPools_NeverStartsMoreInstancesThanAreFree() =>
        Pool.Sample(pool =>
        {
            var plan = TeamPlannerTests.Planner.Plan(pool, Now);
            Assert.True(plan.Starts.Sum(j => j.InstanceCount) <= Math.Max(0, pool.Capacity - pool.Holding.Sum(h => h.InstanceCount)));
        });

    [Fact]
    public void Plan_RandomSharedPools_NeverPreemptsForAnotherTeamATeamAtOrUnderItsQuota() =>
        Pool.Sample(pool =>
        {
            var plan = TeamPlannerTests.Planner.Plan(pool, Now);
            foreach (var preemption in plan.Preemptions.Where(p => p.Victim.Team != p.For.Team))
            {
                var team = preemption.Victim.Team;
                var staying = pool.Holding.Where(h => h.Team == team && h.State is not (JobState.Preempting or JobState.Stopping)).Sum(h => h.InstanceCount);
                Assert.True(staying > pool.Teams!.ShareOf(team).Quota, $"{preemption.Victim.Name} of {team} preempted for {preemption.For.Name} at or under quota");
                Assert.Equal(preemption.For.Team, preemption.ReclaimedFor);
            }
        });

    [Fact]
    public void Plan_RandomSharedPools_NoTeamStartsBeyondItsBorrowLimit() =>
        Pool.Sample(pool =>
        {
            var plan = TeamPlannerTests.Planner.Plan(pool, Now);
            foreach (var team in plan.Starts.Select(j => j.Team).Distinct())
            {
                var share = pool.Teams!.ShareOf(team);
                if (share.BorrowLimit is not { } limit)
                {
                    continue;
                }

                var before = pool.Holding.Where(h => h.Team == team).Sum(h => h.InstanceCount);
                var after = before + plan.Starts.Where(j => j.Team == team).Sum(j => j.InstanceCount);
                Assert.True(after - share.Quota <= Math.Max(limit, before - share.Quota), $"{team} holds {after} with quota {share.Quota} and borrow limit {limit}");
            }
        });

    [Fact]
    public void Plan_RandomSharedPools_OtherTeamsNeverStartOnReservedIdleQuota() =>
        Pool.Sample(pool =>
        {
            var plan = TeamPlannerTests.Planner.Plan(pool, Now);
            var free = pool.Capacity - pool.Holding.Sum(h => h.InstanceCount);
            foreach (var reserve in pool.Teams!.WithQuota.Where(s => s.Mode == LendingMode.Reserve))
            {
                var idleBefore = Math.Max(0, reserve.Quota - pool.Holding.Where(h => h.Team == reserve.Team).Sum(h => h.InstanceCount));
                var byOthers = plan.Starts.Where(j => j.Team != reserve.Team).Sum(j => j.InstanceCount);
                var byItself = plan.Starts.Where(j => j.Team == reserve.Team).Sum(j => j.InstanceCount);
                Assert.True(free - byOthers >= Math.Min(idleBefore, Math.Max(0, free)) - byItself || byOthers == 0, $"others took reserved instances of {reserve.Team}");
            }
        });
}
