using CsCheck;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>The planner's rules, checked over random pools: capacities, holders in every state, queues with back-offs.</summary>
public sealed class QueuePlannerPropertyTests
{
    private static readonly DateTimeOffset Now = TestJobs.Epoch.AddHours(1);
    private static readonly PlannerSettings Settings = TestPlanners.Settings;
    private static readonly QueuePlanner Planner = TestPlanners.Priority;

    private static readonly JobState[] HoldingStates = [JobState.Starting, JobState.Running, JobState.Running, JobState.Preempting, JobState.Stopping];

    private static readonly Gen<QueuedJob> Holder =
        Gen.Select(Gen.Int[0, 5], Gen.Int[1, 3], Gen.Int[0, HoldingStates.Length - 1], Gen.Int[0, 120], Gen.Int[0, 1_000_000], Gen.Int[1, 4], Gen.Int[0, 3])
            .Select((priority, count, state, ageSeconds, id, attempt, asks) =>
                Job($"h{id}", priority, count, HoldingStates[state], Now.AddSeconds(-ageSeconds), attempt: true, attempt) with
                {
                    RequestedMinimumRuntime = asks == 0 ? TimeSpan.FromSeconds(90) : asks == 1 ? TimeSpan.FromHours(2) : null,
                });

    /// <summary>No protection, or minimum runtimes within the holders' ages and budgets their attempts may have spent.</summary>
    private static readonly Gen<PreemptionRules> Rules =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 120], Gen.Int[0, 200], Gen.Int[0, 3])
            .Select((kind, minimum, cap, budget) => kind == 0 ? PreemptionRules.None : new PreemptionRules(TimeSpan.FromSeconds(minimum), TimeSpan.FromSeconds(cap), budget));

    private static readonly Gen<QueuedJob> Waiter =
        Gen.Select(Gen.Int[0, 5], Gen.Int[1, 4], Gen.Int[0, 9], Gen.Int[0, 3_600], Gen.Int[0, 1_000_000])
            .Select((priority, count, backoff, enqueuedSeconds, id) =>
                Job($"w{id}", priority, count, JobState.Pending, Now.AddSeconds(-enqueuedSeconds), attempt: false) with
                {
                    NotBefore = backoff == 0 ? Now.AddSeconds(10) : backoff == 1 ? Now.AddSeconds(-10) : null,
                });

    private static readonly Gen<PoolSnapshot> Pool =
        Gen.Select(Holder.List[0, 6], Waiter.List[0, 12], Gen.Int[0, 6], Gen.Bool, Rules)
            .Select((holding, waiting, spare, complete, rules) =>
            {
                var ordered = waiting.DistinctBy(j => j.Name).OrderBy(j => j.QueueKey, StringComparer.Ordinal).ToList();
                var distinctHolders = holding.DistinctBy(j => j.Name).ToList();
                return new PoolSnapshot(TestJobs.P5, distinctHolders.Sum(h => h.InstanceCount) + spare, distinctHolders, ordered, complete, rules);
            });

    [Fact]
    public void Plan_RandomPools_DecidesTheSameWhetherOrNotItExplainsWaits()
    {
        var silent = new QueuePlanner(new PriorityPreemptionPolicy(), Settings with { ExplainWaits = false });
        Pool.Sample(pool => PlanAssert.SameDecisions(Planner.Plan(pool, Now), silent.Plan(pool, Now)));
    }

    [Fact]
    public void Plan_RandomPools_NeverStartsMoreInstancesThanAreFree() =>
        Pool.Sample(pool =>
        {
            var plan = Planner.Plan(pool, Now);
            var free = Math.Max(0, pool.Capacity - pool.Holding.Sum(h => h.InstanceCount));
            Assert.True(plan.Starts.Sum(j => j.InstanceCount) <= free);
        });

    [Fact]
    public void Plan_RandomPools_PreemptsOnlyRunningJobsOfStrictlyLowerPriorityAndNoMoreThanNeeded() =>
        Pool.Sample(pool =>
        {
            var plan = Planner.Plan(pool, Now);
            foreach (var preemption in plan.Preemptions)
            {
                Assert.Equal(JobState.Running, preemption.Victim.State);
                Assert.True(preemption.Victim.Priority < preemption.For.Priority, $"{preemption.Victim.Name} ({preemption.Victim.Priority}) preempted for {preemption.For.Name} ({preemption.For.Priority})");
            }

            if (plan.Preemptions.Count > 0)
            {
                var head = plan.Preemptions[0].For;
                var inUse = pool.Holding.Sum(h => h.InstanceCount);
                var releasing = pool.Holding.Where(h => h.State is JobState.Preempting or JobState.Stopping).Sum(h => h.InstanceCount);
                var freeAfterStarts = Math.Max(0, pool.Capacity - inUse - plan.Starts.Sum(j => j.InstanceCount));
                var needed = head.InstanceCount - freeAfterStarts - releasing;
                var freed = plan.Preemptions.Sum(p => p.Victim.InstanceCount);
                Assert.True(freed >= needed, "preempted too little to make room");
                Assert.True(freed - plan.Preemptions[^1].Victim.InstanceCount < needed, "preempted more jobs than needed");
            }
        });

    [Fact]
    public void Plan_RandomPools_NeverPreemptsAJobWithinItsMinimumRuntimeOrOutOfBudget() =>
        Pool.Sample(pool =>
        {
            var plan = Planner.Plan(pool, Now);
            foreach (var victim in plan.Preemptions.Select(p => p.Victim))
            {
                Assert.True(pool.RulesInForce.PreemptibleFrom(victim) <= Now, $"{victim.Name} preempted before {pool.RulesInForce.PreemptibleFrom(victim):O}");
                Assert.False(pool.RulesInForce.BudgetSpent(victim), $"{victim.Name} preempted with {victim.Preemptions} preemptions spent");
            }
        });

    [Fact]
    public void Plan_HeadWaitingForMinimumRuntime_IsGivenRoomExactlyWhenItsReasonSays() =>
        Pool.Sample(pool =>
        {
            var plan = Planner.Plan(pool, Now);
            if (plan.Waits.FirstOrDefault(w => w.Reason.Code == WaitReasonCode.WaitingForMinimumRuntime) is not { } wait)
            {
                return;
            }

            var at = wait.Reason.NotBefore!.Value;
            // The same pool with only the jobs that start before the head and the head: nothing else changes with time.
            var alone = pool with { Waiting = [.. plan.Starts, wait.Job], WaitingIsComplete = true };
            Assert.True(at > Now);
            Assert.Empty(Planner.Plan(alone, at - TimeSpan.FromTicks(1)).Preemptions);
            Assert.Contains(Planner.Plan(alone, at).Preemptions, p => p.For.Name == wait.Job.Name);
        });

    [Fact]
    public void Plan_RandomPools_NoJobOvertakesTheFirstThatDoesNotFit() =>
        Pool.Sample(pool =>
        {
            var plan = Planner.Plan(pool, Now);
            var considered = pool.Waiting.Take(Settings.LookAhead).ToList();
            var started = plan.Starts.Select(j => j.Name).ToHashSet();
            var eligible = considered.Where(j => !j.IsBackingOffAt(Now)).ToList();
            var prefix = eligible.TakeWhile(j => started.Contains(j.Name)).Count();
            Assert.Equal(started.Count, prefix);
            Assert.DoesNotContain(considered.Where(j => j.IsBackingOffAt(Now)), j => started.Contains(j.Name));
        });

    [Fact]
    public void Plan_RandomPools_EveryConsideredWaitingJobStartsOrGetsExactlyOneReason() =>
        Pool.Sample(pool =>
        {
            var plan = Planner.Plan(pool, Now);
            var considered = pool.Waiting.Take(Settings.LookAhead).Select(j => j.Name).ToList();
            var decided = plan.Starts.Select(j => j.Name).Concat(plan.Waits.Select(w => w.Job.Name)).ToList();
            Assert.Equal(considered.Order(StringComparer.Ordinal), decided.Order(StringComparer.Ordinal));
            Assert.All(plan.Waits, w => Assert.False(string.IsNullOrEmpty(w.Reason.Describe())));
        });

    [Fact]
    public void Plan_StateThePlanLeadsTo_ProposesNothingNewUntilSomethingChanges() =>
        Pool.Sample(pool =>
        {
            var plan = Planner.Plan(pool, Now);
            var again = Planner.Plan(Applied(pool, plan), Now);
            Assert.True(again.IsIdle, $"second plan: {again.Starts.Count} starts, {again.Preemptions.Count} preemptions, {again.StaleClaims.Count} stale claims");
        });

    [Fact]
    public void Plan_ClaimOlderThanTheStaleAge_IsSentAgainAndYoungerOnesAreNot()
    {
        var old = Job("old", 1, 1, JobState.Starting, Now - Settings.StaleClaimAge, attempt: true);
        var young = Job("young", 1, 1, JobState.Starting, Now - Settings.StaleClaimAge + TimeSpan.FromSeconds(1), attempt: true);

        var plan = Planner.Plan(new PoolSnapshot(TestJobs.P5, 2, [old, young], [], true), Now);

        Assert.Equal(["old"], plan.StaleClaims.Select(j => j.Name));
    }

    [Fact]
    public void Plan_WaitingRunsOutBeforeAJobBlocks_AsksForMoreOnlyWhenThereIsMore()
    {
        var backingOff = Job("w1", 5, 1, JobState.Pending, Now.AddMinutes(-1), attempt: false) with { NotBefore = Now.AddSeconds(5) };

        var partial = Planner.Plan(new PoolSnapshot(TestJobs.P5, 0, [], [backingOff], WaitingIsComplete: false), Now);
        var complete = Planner.Plan(new PoolSnapshot(TestJobs.P5, 0, [], [backingOff], WaitingIsComplete: true), Now);

        Assert.True(partial.NeedsMoreWaiting);
        Assert.False(complete.NeedsMoreWaiting);
        Assert.Equal(WaitReasonCode.BackingOff, Assert.Single(partial.Waits).Reason.Code);
    }

    /// <summary>The pool after the plan was applied without interference: starts claimed, victims stopping, stale claims re-sent.</summary>
    private static PoolSnapshot Applied(PoolSnapshot pool, PoolPlan plan)
    {
        var victims = plan.Preemptions.Select(p => p.Victim.Name).ToHashSet();
        var resent = plan.StaleClaims.Select(j => j.Name).ToHashSet();
        var holding = pool.Holding
            .Select(h => victims.Contains(h.Name) ? JobLifecycle.Move(h, JobEvent.PreemptRequested, "preempted", Now)
                : resent.Contains(h.Name) ? h with { UpdatedAt = Now }
                : h)
            .Concat(plan.Starts.Select(j => JobLifecycle.Move(j.WithNewAttempt(new JobAttempt(1, j.Name + "-q1", Now)), JobEvent.StartClaimed, "starting", Now)))
            .ToList();
        var started = plan.Starts.Select(j => j.Name).ToHashSet();
        return pool with { Holding = holding, Waiting = pool.Waiting.Where(j => !started.Contains(j.Name)).ToList() };
    }

    private static QueuedJob Job(string name, int priority, int count, JobState state, DateTimeOffset at, bool attempt, int number = 1)
    {
        var job = TestJobs.Job(name, priority, state, instanceCount: count, enqueuedAt: at);
        return attempt ? job.WithNewAttempt(new JobAttempt(number, $"{name}-q{number}", at)) : job;
    }
}
