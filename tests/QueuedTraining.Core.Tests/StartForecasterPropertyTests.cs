using CsCheck;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Testing;
using Xunit;

namespace QueuedTraining.Core.Tests;

/// <summary>The start forecast, checked over random pools against the planner's rules and an independent simulation.</summary>
public sealed class StartForecasterPropertyTests
{
    private static readonly DateTimeOffset Now = TestJobs.Epoch.AddHours(10);
    private static readonly StartForecaster Forecaster = new(TestPlanners.Priority);

    /// <summary>A random pool, each job's MaxRuntime in minutes and the recent runtimes (minutes) its estimate rests on.</summary>
    private sealed record Case(PoolSnapshot Pool, Dictionary<string, DurationEstimate> Estimates)
    {
        public DurationEstimate EstimateOf(QueuedJob job) => Estimates[job.Name];

        public override string ToString() =>
            $"capacity {Pool.Capacity}; holding [{string.Join(", ", Pool.Holding.Select(Describe))}]; waiting [{string.Join(", ", Pool.Waiting.Select(Describe))}]";

        private string Describe(QueuedJob j) =>
            $"{j.Name} p{j.Priority} x{j.InstanceCount} {j.State}{(j.NotBefore is { } nb ? $" until {nb:t}" : "")} max {Estimates[j.Name].MaxRuntime.TotalMinutes} runs [{string.Join(" ", Estimates[j.Name].Runtimes.Select(r => r.TotalMinutes))}]";
    }

    private static Gen<Case> Cases(bool samePriority, bool onlyRunning, bool withBackOff) =>
        Gen.Select(
                Gen.Select(Gen.Int[0, 3], Gen.Int[1, 3], Gen.Int[0, 4], Gen.Int[0, 600], Gen.Int[10, 600], Gen.Int[1, 900].List[0, 6]).List[0, 5],
                Gen.Select(Gen.Int[0, 3], Gen.Int[1, 4], Gen.Int[0, 5], Gen.Int[10, 600], Gen.Int[1, 900].List[0, 6]).List[0, 10],
                Gen.Int[0, 3])
            .Select((holding, waiting, spare) =>
            {
                var estimates = new Dictionary<string, DurationEstimate>();
                var holders = new List<QueuedJob>();
                foreach (var (priority, count, state, ageMinutes, maxMinutes, runs) in holding)
                {
                    var name = $"h{holders.Count}";
                    var holdState = onlyRunning || state < 3 ? JobState.Running : state == 3 ? JobState.Preempting : JobState.Stopping;
                    var job = TestJobs.Job(name, samePriority ? 1 : priority, holdState, instanceCount: count, enqueuedAt: Now.AddMinutes(-ageMinutes - 1))
                        .WithNewAttempt(new JobAttempt(1, name, Now.AddMinutes(-ageMinutes)));
                    holders.Add(job);
                    estimates[name] = Estimate(maxMinutes, runs);
                }

                var waiters = new List<QueuedJob>();
                foreach (var (priority, count, backOff, maxMinutes, runs) in waiting)
                {
                    var name = $"w{waiters.Count}";
                    var job = TestJobs.Job(name, samePriority ? 1 : priority, JobState.Pending, instanceCount: count, enqueuedAt: Now.AddMinutes(-60 + waiters.Count));
                    waiters.Add(withBackOff && backOff == 0 ? job with { NotBefore = Now.AddMinutes(7) } : job);
                    estimates[name] = Estimate(maxMinutes, runs);
                }

                var ordered = waiters.OrderBy(j => j.QueueKey, StringComparer.Ordinal).ToList();
                return new Case(new PoolSnapshot(TestJobs.P5, holders.Sum(h => h.InstanceCount) + spare, holders, ordered, true), estimates);
            });

    private static DurationEstimate Estimate(int maxMinutes, IEnumerable<int> runMinutes) =>
        new(runMinutes.Select(m => TimeSpan.FromMinutes(m)).Order().ToList(), TimeSpan.FromMinutes(maxMinutes), "test");

    [Fact]
    public void Forecast_RandomPools_EarliestIsNoLaterThanLikelyAndLikelyNoLaterThanLatest() =>
        Cases(samePriority: false, onlyRunning: false, withBackOff: true).Sample(c =>
        {
            foreach (var (name, start) in Forecaster.Forecast(c.Pool, Now, c.EstimateOf))
            {
                Assert.True(Now <= start.Earliest, $"{name} starts before now");
                Assert.True(start.Earliest <= start.Likely, $"{name}: earliest {start.Earliest:t} after likely {start.Likely:t}");
                Assert.True(start.Likely <= start.Latest, $"{name}: likely {start.Likely:t} after latest {start.Latest:t}");
            }
        });

    [Fact]
    public void Simulate_RandomPoolsWhereNoJobMayPreempt_ShorterAttemptsNeverDelayAStart() =>
        Cases(samePriority: true, onlyRunning: false, withBackOff: false).Sample(c =>
        {
            var (earliest, likely, latest) = (Run(c, DurationEstimate.Early), Run(c, DurationEstimate.Median), Forecaster.Simulate(c.Pool, Now, (job, _) => c.Estimates[job.Name].MaxRuntime));
            foreach (var (name, start) in latest)
            {
                Assert.True(earliest[name] <= likely[name], $"{name}: p10 run starts it at {earliest[name]:t}, median run at {likely[name]:t}");
                Assert.True(likely[name] <= start, $"{name}: median run starts it at {likely[name]:t}, MaxRuntime run at {start:t}");
            }
        });

    [Fact]
    public void Forecast_RandomPoolsWithPreemption_RangeStillCoversTheMaxRuntimeRun() =>
        Cases(samePriority: false, onlyRunning: true, withBackOff: false).Sample(c =>
        {
            var bound = Forecaster.Simulate(c.Pool, Now, (job, _) => c.Estimates[job.Name].MaxRuntime);
            foreach (var (name, start) in Forecaster.Forecast(c.Pool, Now, c.EstimateOf))
            {
                Assert.True(start.Latest >= bound[name], $"{name}: latest {start.Latest:t} before the MaxRuntime run's {bound[name]:t}");
            }
        });

    [Fact]
    public void Forecast_RandomPoolsWithoutPreemption_LatestEqualsABruteForceSimulation() =>
        Cases(samePriority: true, onlyRunning: true, withBackOff: false).Sample(c =>
        {
            var forecasts = Forecaster.Forecast(c.Pool, Now, c.EstimateOf);
            var expected = BruteForceLatest(c);
            Assert.Equal(
                expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}@{e.Value:O}"),
                forecasts.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}@{f.Value.Latest:O}"));
        });

    [Fact]
    public void Forecast_RandomPools_NoJobStartsBeforeOneAheadOfItThatFits() =>
        Cases(samePriority: false, onlyRunning: false, withBackOff: false).Sample(c =>
        {
            var forecasts = Forecaster.Forecast(c.Pool, Now, c.EstimateOf);
            for (var i = 0; i < c.Pool.Waiting.Count; i++)
            {
                for (var j = i + 1; j < c.Pool.Waiting.Count; j++)
                {
                    var (ahead, behind) = (c.Pool.Waiting[i], c.Pool.Waiting[j]);
                    if (!forecasts.TryGetValue(behind.Name, out var late))
                    {
                        continue;
                    }

                    var early = Assert.Contains(ahead.Name, forecasts);
                    Assert.True(early.Earliest <= late.Earliest && early.Likely <= late.Likely && early.Latest <= late.Latest, $"{behind.Name} overtakes {ahead.Name}");
                }
            }
        });

    [Fact]
    public void Forecast_RandomPools_EveryJobThatFitsBehindOnlyJobsThatFitGetsARangeAndNoOtherDoes() =>
        Cases(samePriority: false, onlyRunning: false, withBackOff: false).Sample(c =>
        {
            var forecasts = Forecaster.Forecast(c.Pool, Now, c.EstimateOf);
            var blocked = false;
            foreach (var job in c.Pool.Waiting)
            {
                blocked |= job.InstanceCount > c.Pool.Capacity;
                Assert.Equal(!blocked, forecasts.ContainsKey(job.Name));
            }
        });

    [Fact]
    public void Forecast_OneRunnerAhead_RangeFollowsItsRunsAndTheBasisSaysWhichAndWhatIsAssumed()
    {
        var runner = TestJobs.Job("runner", 1, JobState.Running).WithNewAttempt(new JobAttempt(1, "runner", Now.AddMinutes(-10)));
        var next = TestJobs.Job("next", 1);
        var runs = new DurationEstimate([TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(60)], TimeSpan.FromHours(2), "3 recent runs of family runner, median 40 min");
        var pool = new PoolSnapshot(TestJobs.P5, 1, [runner], [next], true);

        var start = Forecaster.Forecast(pool, Now, job => job.Name == "runner" ? runs : runs with { Basis = "other" })["next"];

        // Started 10 min ago: p10 of its runs is 20 min, the median 40, MaxRuntime 2 h.
        Assert.Equal(new ExpectedStart(Now.AddMinutes(10), Now.AddMinutes(30), Now.AddMinutes(110), "from 3 recent runs of family runner, median 40 min; assumes no new higher-priority arrivals and no failures"), start);
    }

    private static IReadOnlyDictionary<string, DateTimeOffset> Run(Case c, double quantile) =>
        Forecaster.Simulate(c.Pool, Now, (job, elapsed) => job.State is JobState.Preempting or JobState.Stopping ? elapsed : c.Estimates[job.Name].Quantile(quantile, elapsed));

    /// <summary>
    /// Strict queue order without the planner: each job starts at the first moment, no earlier than the job ahead of it,
    /// at which the attempts still running leave room for it; every attempt runs to its MaxRuntime.
    /// </summary>
    private static Dictionary<string, DateTimeOffset> BruteForceLatest(Case c)
    {
        var intervals = c.Pool.Holding
            .Select(h => (Start: Now, End: Max(h.CurrentAttempt!.StartedAt + c.Estimates[h.Name].MaxRuntime, Now), h.InstanceCount))
            .ToList();
        var starts = new Dictionary<string, DateTimeOffset>();
        var previous = Now;
        foreach (var job in c.Pool.Waiting)
        {
            if (job.InstanceCount > c.Pool.Capacity)
            {
                break;
            }

            var start = intervals.Select(i => i.End).Append(previous)
                .Where(t => t >= previous)
                .Order()
                .First(t => intervals.Where(i => i.Start <= t && t < i.End).Sum(i => i.InstanceCount) + job.InstanceCount <= c.Pool.Capacity);
            starts[job.Name] = start;
            intervals.Add((start, start + c.Estimates[job.Name].MaxRuntime, job.InstanceCount));
            previous = start;
        }

        return starts;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
