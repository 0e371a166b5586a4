using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>Aging: a waiting job's effective priority rises with its wait, up to a cap, within the look-ahead.</summary>
public sealed class AgingTests
{
    private static readonly DateTimeOffset Now = TestJobs.Epoch.AddDays(2);
    private static readonly QueuePlanner Planner = TestPlanners.Priority;

    [Fact]
    public void Plan_StarvingLowPriorityJob_AgingLiftsItAheadOfNewerHigherOnes()
    {
        // One free instance; a steady stream of priority-5 work keeps arriving, and the priority-1 job has waited a day.
        var starving = Waiting("starving", priority: 1, waited: TimeSpan.FromHours(24));
        var newer = Waiting("newer", priority: 5, waited: TimeSpan.FromMinutes(5));
        var line = new[] { newer, starving };

        var withoutAging = Planner.Plan(Pool(line, Aging.Off), Now);
        var withAging = Planner.Plan(Pool(line, new Aging(PriorityPerHour: 0.5, MaxBoost: 10)), Now);

        Assert.Equal(["newer"], withoutAging.Starts.Select(j => j.Name));
        Assert.Equal(["starving"], withAging.Starts.Select(j => j.Name));
        Assert.Equal(["newer"], withAging.Waits.Select(w => w.Job.Name));
    }

    [Fact]
    public void EffectivePriority_LongWait_RisesInWholeStepsUpToTheCap()
    {
        var aging = new Aging(PriorityPerHour: 2, MaxBoost: 5);

        Assert.Equal(1, aging.EffectivePriority(Waiting("fresh", 1, TimeSpan.FromMinutes(20)), Now));
        Assert.Equal(4, aging.EffectivePriority(Waiting("hour-and-a-half", 1, TimeSpan.FromMinutes(90)), Now));
        Assert.Equal(6, aging.EffectivePriority(Waiting("week", 1, TimeSpan.FromDays(7)), Now));
        Assert.Equal(1, Aging.Off.EffectivePriority(Waiting("week", 1, TimeSpan.FromDays(7)), Now));
        Assert.Equal(1, aging.EffectivePriority(TestJobs.Job("running", 1, JobState.Running, enqueuedAt: Now.AddDays(-7)), Now));
    }

    [Fact]
    public void Plan_AgedJobHeadsAFullPool_DoesNotPreemptAJobOfHigherBasePriority()
    {
        var aged = Waiting("aged", priority: 1, waited: TimeSpan.FromDays(3));
        var running = TestJobs.Job("running", 5, JobState.Running, enqueuedAt: Now.AddHours(-2)).WithNewAttempt(new JobAttempt(1, "running", Now.AddHours(-1)));
        var pool = new PoolSnapshot(TestJobs.P5, 1, [running], [aged], WaitingIsComplete: true, Aging: new Aging(1, 100));

        var plan = Planner.Plan(pool, Now);

        Assert.Empty(plan.Preemptions);
    }

    [Fact]
    public void Plan_JobJustPreemptedForAHigherOne_DoesNotAgeBackAheadOfIt()
    {
        // The victim was enqueued days ago (its boost would be full) but gave way a moment ago, for a job one above it.
        var victim = JobLifecycle.Move(
            JobLifecycle.Move(
                TestJobs.Job("victim", 15, JobState.Running, enqueuedAt: Now.AddDays(-3)).WithNewAttempt(new JobAttempt(1, "victim", Now.AddHours(-1))),
                JobEvent.PreemptRequested, "preempted for preemptor", Now.AddMinutes(-1)),
            JobEvent.AttemptStopped, "stopped", Now.AddMinutes(-1));
        var preemptor = Waiting("preemptor", priority: 16, waited: TimeSpan.FromMinutes(5));
        var aging = new Aging(PriorityPerHour: 60, MaxBoost: 10);

        var plan = Planner.Plan(Pool([victim, preemptor], aging), Now);

        Assert.Equal(JobState.Preempted, victim.State);
        Assert.Equal(16, aging.EffectivePriority(victim, Now));
        Assert.Equal(["preemptor"], plan.Starts.Select(j => j.Name));
    }

    [Fact]
    public void FirstReadSize_AgingOn_ReadsTheWholeWindow()
    {
        Assert.Equal(2, Planner.FirstReadSize(1, [], Aging.Off));
        Assert.Equal(8, Planner.FirstReadSize(1, [], new Aging(1, 10)));
    }

    private static QueuedJob Waiting(string name, int priority, TimeSpan waited) =>
        TestJobs.Job(name, priority, enqueuedAt: Now - waited);

    private static PoolSnapshot Pool(IReadOnlyList<QueuedJob> waiting, Aging aging) =>
        new(TestJobs.P5, 1, [], waiting, WaitingIsComplete: true, Aging: aging);
}
