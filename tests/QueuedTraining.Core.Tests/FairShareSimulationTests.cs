using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Teams;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>
/// Fair share over a long run: the planner and the usage ledger driven by a pure loop, jobs ending on a simulated clock.
/// Both teams are always busy: each keeps a backlog of waiting jobs and submits another whenever one starts, so both
/// stay within the planner's look-ahead (see docs/scheduling.md on its limit).
/// </summary>
public sealed class FairShareSimulationTests
{
    private static readonly TimeSpan JobLength = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan HalfLife = TimeSpan.FromHours(1);
    private const int Backlog = 8;

    [Fact]
    public void Simulate_TwoEquallyWeightedBusyTeams_TakeTurns()
    {
        var run = Simulate(capacity: 1, weights: new() { ["a"] = 1, ["b"] = 1 }, TimeSpan.FromHours(4));

        var order = run.Starts.Select(s => s.Team).ToList();
        Assert.True(order.Count >= 20);
        for (var i = 1; i < order.Count; i++)
        {
            Assert.NotEqual(order[i - 1], order[i]);
        }
    }

    [Fact]
    public void Simulate_WeightTwoAgainstWeightOne_GivesAboutTwiceTheInstanceTime()
    {
        var run = Simulate(capacity: 3, weights: new() { ["heavy"] = 2, ["light"] = 1 }, TimeSpan.FromHours(48));

        var heavy = run.InstanceTime("heavy");
        var light = run.InstanceTime("light");
        var ratio = heavy / light;
        Assert.InRange(ratio, 1.8, 2.2);
    }

    private static Run Simulate(int capacity, Dictionary<string, double> weights, TimeSpan horizon)
    {
        var planner = TeamPlannerTests.Planner;
        var ledger = new TeamUsageLedger();
        var start = TestJobs.Epoch;
        var submitted = 0;
        var waiting = new List<QueuedJob>();
        foreach (var team in weights.Keys)
        {
            for (var i = 0; i < Backlog; i++)
            {
                Submit(team, start);
            }
        }

        var running = new List<(QueuedJob Job, DateTimeOffset Ends)>();
        var run = new Run();
        var now = start;
        while (now < start + horizon)
        {
            running.RemoveAll(r => r.Ends <= now);
            var holding = running.ConvertAll(r => r.Job);
            var usage = ledger.Observe(TestJobs.P5, holding, now, HalfLife);
            var teams = new PoolTeams(weights.ToDictionary(w => w.Key, w => new TeamShare(w.Key, 0, LendingMode.LendAndBorrow, null, w.Value, usage.GetValueOrDefault(w.Key)), StringComparer.Ordinal));
            var window = waiting.Take(planner.Settings.LookAhead).ToList();
            var plan = planner.Plan(new PoolSnapshot(TestJobs.P5, capacity, holding, window, window.Count == waiting.Count, PreemptionRules.None, Teams: teams), now);
            foreach (var job in plan.Starts)
            {
                waiting.Remove(job);
                var started = job.WithNewAttempt(new JobAttempt(1, job.Name, now)) with { State = JobState.Running };
                running.Add((started, now + JobLength));
                run.Starts.Add((job.Team, now));
                Submit(job.Team, now);
            }

            // As the scheduler does after applying a plan: its starts are charged from now on.
            ledger.Observe(TestJobs.P5, running.ConvertAll(r => r.Job), now, HalfLife);

            now = running.Min(r => r.Ends);
        }

        return run;

        // Equal priority: queue order alone would serve the teams first come, first served.
        void Submit(string team, DateTimeOffset at)
        {
            submitted++;
            waiting.Add(TestJobs.Job($"{team}-{submitted:D6}", 0, enqueuedAt: at.AddTicks(submitted)) with { Team = team });
            waiting.Sort((x, y) => string.CompareOrdinal(x.QueueKey, y.QueueKey));
        }
    }

    private sealed class Run
    {
        public List<(string Team, DateTimeOffset At)> Starts { get; } = [];

        public double InstanceTime(string team) => Starts.Count(s => s.Team == team) * JobLength.TotalSeconds;
    }
}
