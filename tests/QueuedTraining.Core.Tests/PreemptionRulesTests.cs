using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Minimum runtime and preemption budget, as the planner applies them to one pool.</summary>
public sealed class PreemptionRulesTests
{
    private static readonly DateTimeOffset Now = TestJobs.Epoch.AddHours(1);
    private static readonly QueuePlanner Planner = TestPlanners.Priority;
    private static readonly PreemptionRules TenMinutes = new(TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), MaxPreemptionsPerJob: 2);

    [Fact]
    public void Plan_VictimWithinMinimumRuntime_IsNotPreemptedAndTheHeadSaysWhenItCanBe()
    {
        var young = Running("young", priority: 1, startedAgo: TimeSpan.FromMinutes(4));
        var high = Waiting("high", priority: 5);

        var plan = Planner.Plan(Pool([young], [high], TenMinutes), Now);

        Assert.Empty(plan.Preemptions);
        var wait = Assert.Single(plan.Waits).Reason;
        Assert.Equal(WaitReasonCode.WaitingForMinimumRuntime, wait.Code);
        Assert.Equal(Now.AddMinutes(6), wait.NotBefore);
        Assert.Contains(Now.AddMinutes(6).ToString("O", System.Globalization.CultureInfo.InvariantCulture), wait.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_VictimPastMinimumRuntime_IsPreempted()
    {
        var old = Running("old", priority: 1, startedAgo: TimeSpan.FromMinutes(10));

        var plan = Planner.Plan(Pool([old], [Waiting("high", priority: 5)], TenMinutes), Now);

        Assert.Equal(["old"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_YoungestLowestIsProtected_PreemptsAnOlderOneInstead()
    {
        var young = Running("young", priority: 1, startedAgo: TimeSpan.FromMinutes(1));
        var older = Running("older", priority: 2, startedAgo: TimeSpan.FromMinutes(30));

        var plan = Planner.Plan(Pool([young, older], [Waiting("high", priority: 5)], TenMinutes), Now);

        Assert.Equal(["older"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_HeadNeedsTwoProtectedVictims_SaysWhenTheLaterOneComesOfAge()
    {
        var a = Running("a", priority: 1, startedAgo: TimeSpan.FromMinutes(8));
        var b = Running("b", priority: 1, startedAgo: TimeSpan.FromMinutes(3));

        var plan = Planner.Plan(Pool([a, b], [Waiting("big", priority: 5, count: 2)], TenMinutes), Now);

        Assert.Empty(plan.Preemptions);
        var wait = Assert.Single(plan.Waits).Reason;
        Assert.Equal(WaitReasonCode.WaitingForMinimumRuntime, wait.Code);
        Assert.Equal(Now.AddMinutes(7), wait.NotBefore);
        Assert.Equal(2, Planner.Plan(Pool([a, b], [Waiting("big", priority: 5, count: 2)], TenMinutes), Now.AddMinutes(7)).Preemptions.Count);
    }

    [Fact]
    public void Plan_JobTagAsksForMoreThanThePool_IsProtectedLongerUpToTheCap()
    {
        var askingHalfHour = Running("asks", priority: 1, startedAgo: TimeSpan.FromMinutes(20)) with { RequestedMinimumRuntime = TimeSpan.FromMinutes(30) };
        var askingDay = Running("greedy", priority: 1, startedAgo: TimeSpan.FromMinutes(20)) with { RequestedMinimumRuntime = TimeSpan.FromDays(1) };
        var rules = TenMinutes with { MaxMinimumRuntime = TimeSpan.FromMinutes(45) };

        Assert.Equal(Now.AddMinutes(10), WaitUntil(askingHalfHour, rules));
        Assert.Equal(Now.AddMinutes(25), WaitUntil(askingDay, rules));
        Assert.Equal(TimeSpan.FromMinutes(10), rules.MinimumRuntimeOf(Running("shorter", 1, TimeSpan.Zero) with { RequestedMinimumRuntime = TimeSpan.FromMinutes(1) }));

        static DateTimeOffset? WaitUntil(QueuedJob victim, PreemptionRules rules) =>
            Assert.Single(Planner.Plan(Pool([victim], [Waiting("high", priority: 5)], rules), Now).Waits).Reason.NotBefore;
    }

    [Fact]
    public void Plan_VictimsBudgetSpent_IsNotPreemptedAndTheHeadSaysWhy()
    {
        var spent = Running("spent", priority: 1, startedAgo: TimeSpan.FromHours(1), attempt: 3);

        var plan = Planner.Plan(Pool([spent], [Waiting("high", priority: 5)], TenMinutes), Now);

        Assert.Empty(plan.Preemptions);
        var reason = Assert.Single(plan.Waits).Reason;
        Assert.Equal(WaitReasonCode.PreemptionBudgetSpent, reason.Code);
        Assert.Contains("preempted as often as they may be", reason.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_BudgetOfZero_MeansNoLimit()
    {
        var often = Running("often", priority: 1, startedAgo: TimeSpan.FromHours(1), attempt: 15);

        var plan = Planner.Plan(Pool([often], [Waiting("high", priority: 5)], TenMinutes with { MaxPreemptionsPerJob = 0 }), Now);

        Assert.Equal(["often"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Preemptions_AcrossTheLifecycle_CountsEachDecidedPreemptionOnce()
    {
        var job = TestJobs.Job("j", 1);
        Assert.Equal(0, job.Preemptions);

        job = Start(job, 1);
        Assert.Equal(0, job.Preemptions);
        job = JobLifecycle.Move(job, JobEvent.PreemptRequested, "preempted", Now);
        Assert.Equal(1, job.Preemptions);
        job = JobLifecycle.Move(job, JobEvent.AttemptStopped, "stopped", Now);
        Assert.Equal(1, job.Preemptions);

        // A refused resume leaves no attempt behind and no preemption.
        job = JobLifecycle.Move(job.WithNewAttempt(new JobAttempt(2, "j-q2", Now)), JobEvent.StartClaimed, "starting", Now);
        job = JobLifecycle.Move(job, JobEvent.StartDeferred, "refused", Now);
        Assert.Equal(JobState.Preempted, job.State);
        Assert.Equal(1, job.Preemptions);

        job = Start(job, 2);
        Assert.Equal(1, job.Preemptions);
        job = JobLifecycle.Move(job, JobEvent.AttemptCompleted, "done", Now);
        Assert.Equal(1, job.Preemptions);
        Assert.Equal(1, new PreemptionRules(TimeSpan.Zero, TimeSpan.Zero, 2).PreemptionsLeft(job));
        Assert.Null(PreemptionRules.None.PreemptionsLeft(job));

        static QueuedJob Start(QueuedJob job, int number)
        {
            var claimed = JobLifecycle.Move(job.WithNewAttempt(new JobAttempt(number, $"j-q{number}", Now)), JobEvent.StartClaimed, "starting", Now);
            return JobLifecycle.Move(claimed, JobEvent.StartConfirmed, "running", Now);
        }
    }

    [Fact]
    public void Preemptions_OldAttemptsDropped_StillCountsFromTheAttemptNumber()
    {
        var job = TestJobs.Job("j", 1, JobState.Running);
        for (var number = 1; number <= QueuedJob.MaxAttemptsKept + 5; number++)
        {
            job = job.WithNewAttempt(new JobAttempt(number, $"j-q{number}", Now));
        }

        Assert.Equal(QueuedJob.MaxAttemptsKept, job.Attempts.Count);
        Assert.Equal(QueuedJob.MaxAttemptsKept + 4, job.Preemptions);
    }

    internal static PoolSnapshot Pool(IReadOnlyList<QueuedJob> holding, IReadOnlyList<QueuedJob> waiting, PreemptionRules rules) =>
        new(TestJobs.P5, holding.Sum(h => h.InstanceCount), holding, waiting, WaitingIsComplete: true, rules);

    private static QueuedJob Running(string name, int priority, TimeSpan startedAgo, int attempt = 1) =>
        TestJobs.Job(name, priority, JobState.Running, enqueuedAt: Now - startedAgo - TimeSpan.FromMinutes(1))
            .WithNewAttempt(new JobAttempt(attempt, $"{name}-q{attempt}", Now - startedAgo));

    private static QueuedJob Waiting(string name, int priority, int count = 1) =>
        TestJobs.Job(name, priority, instanceCount: count, enqueuedAt: Now.AddMinutes(-1));
}
