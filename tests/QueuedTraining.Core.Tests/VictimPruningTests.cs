using CsCheck;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>
/// Victims taken in order are pruned of those whose instances the others already free, for priority preemption and for
/// quota reclaim alike.
/// </summary>
public sealed class VictimPruningTests
{
    private static readonly DateTimeOffset Now = TestJobs.Epoch.AddHours(5);
    private static readonly QueuePlanner Planner = TestPlanners.Priority;

    [Fact]
    public void TakeEnough_NarrowVictimThenOneWideEnoughAlone_StopsOnlyTheWideOne()
    {
        var narrow = Job("narrow", count: 1);
        var wide = Job("wide", count: 4);

        Assert.Equal(["narrow", "wide"], VictimOrder.TakeInOrder([narrow, wide], 4).Select(j => j.Name));
        Assert.Equal(["wide"], VictimOrder.TakeEnough([narrow, wide], 4).Select(j => j.Name));
    }

    [Fact]
    public void TakeEnough_EveryVictimNeeded_PrunesNothing()
    {
        var first = Job("first", count: 1);
        var second = Job("second", count: 2);

        Assert.Equal(["first", "second"], VictimOrder.TakeEnough([first, second, Job("third", count: 4)], 3).Select(j => j.Name));
    }

    [Fact]
    public void TakeEnough_SeveralUnneeded_DropsTheLeastPreferredEarlierVictimFirst()
    {
        // Any one of "a", "b" and "c" could go once "d" is in; walking back from the end drops "c", the least preferred.
        var victims = new[] { Job("a", count: 1), Job("b", count: 1), Job("c", count: 1), Job("d", count: 2) };

        Assert.Equal(["a", "b", "d"], VictimOrder.TakeEnough(victims, 4).Select(j => j.Name));
    }

    [Fact]
    public void TakeEnough_AllTogetherTooFew_StopsNothing() =>
        Assert.Empty(VictimOrder.TakeEnough([Job("a", count: 1), Job("b", count: 2)], 4));

    [Fact]
    public void Plan_NarrowCheckpointedVictimThenAWideOne_PreemptsOnlyTheWideOne()
    {
        // "narrow" saved a minute ago, so it gives way first; "wide" alone frees the four instances "big" needs.
        var narrow = Running("narrow", count: 1, checkpointAgo: TimeSpan.FromMinutes(1));
        var wide = Running("wide", count: 4, checkpointAgo: TimeSpan.FromMinutes(20));

        var plan = Planner.Plan(PreemptionRulesTests.Pool([narrow, wide], [TestJobs.Job("big", 5, instanceCount: 4, enqueuedAt: Now.AddMinutes(-1))], PreemptionRules.None), Now);

        Assert.Equal(["wide"], plan.Preemptions.Select(p => p.Victim.Name));
    }

    [Fact]
    public void Plan_ReclaimNarrowBorrowerThenAWideOne_PreemptsOnlyTheWideOne()
    {
        var teams = TeamPlannerTests.Teams(TeamPlannerTests.Share("a", 4), TeamPlannerTests.Share("b", 1));
        var holding = new[] { TeamPlannerTests.Running("b-narrow", "b", priority: 1), TeamPlannerTests.Running("b-wide", "b", priority: 2, count: 4) };

        var plan = TeamPlannerTests.Planner.Plan(TeamPlannerTests.Pool(5, holding, [TeamPlannerTests.Waiting("a1", "a", count: 4)], teams), TeamPlannerTests.Now);

        var preemption = Assert.Single(plan.Preemptions);
        Assert.Equal("b-wide", preemption.Victim.Name);
        Assert.Equal("a", preemption.ReclaimedFor);
    }

    [Fact]
    public void TakeEnough_RandomVictims_PrunedFreeEnoughAreASubsetAndNoneCanBeDropped() =>
        Gen.Select(Gen.Int[1, 8].List[0, 10], Gen.Int[-1, 30])
            .Sample((counts, needed) =>
            {
                var ordered = counts.Select((count, i) => Job($"j{i}", count)).ToList();
                var unpruned = VictimOrder.TakeInOrder(ordered, needed);
                var pruned = VictimOrder.TakeEnough(ordered, needed);

                if (unpruned.Count == 0)
                {
                    Assert.Empty(pruned);
                    return;
                }

                var freed = pruned.Sum(j => j.InstanceCount);
                Assert.True(freed >= needed, $"frees {freed} of {needed}");
                Assert.Equal(pruned.Select(j => j.Name), unpruned.Select(j => j.Name).Where(name => pruned.Any(j => j.Name == name)));
                Assert.Equal(pruned.Count, pruned.Select(j => j.Name).Intersect(unpruned.Select(j => j.Name)).Count());
                Assert.All(pruned, victim => Assert.True(freed - victim.InstanceCount < needed, $"{victim.Name} is not needed"));
            });

    [Fact]
    public void Prune_RandomVictimsThatFreeEnough_KeepsEnoughAndNoneCanBeDropped() =>
        Gen.Select(Gen.Int[1, 8].List[0, 10], Gen.Int[0, 30])
            .Where((counts, needed) => counts.Sum() >= needed)
            .Sample((counts, needed) =>
            {
                var victims = counts.Select((count, i) => Job($"j{i}", count)).ToList();
                var pruned = VictimOrder.Prune(victims, needed);

                var freed = pruned.Sum(j => j.InstanceCount);
                Assert.True(freed >= needed, $"frees {freed} of {needed}");
                Assert.True(pruned.All(victims.Contains), "kept a job that was not a victim");
                Assert.All(pruned, victim => Assert.True(freed - victim.InstanceCount < needed, $"{victim.Name} is not needed"));
            });

    private static QueuedJob Job(string name, int count) => TestJobs.Job(name, 1, JobState.Running, instanceCount: count, enqueuedAt: Now.AddHours(-1));

    private static QueuedJob Running(string name, int count, TimeSpan checkpointAgo) =>
        Job(name, count).WithNewAttempt(new JobAttempt(1, name, Now.AddHours(-1))) with
        {
            CheckpointS3Uri = $"s3://bucket/checkpoints/{name}/",
            LastCheckpointAt = Now - checkpointAgo,
        };
}
