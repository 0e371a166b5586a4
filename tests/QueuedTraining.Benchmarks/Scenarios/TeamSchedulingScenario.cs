using System.Globalization;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Teams;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// The scheduling decision with 100,000 waiting jobs spread over 1,000 teams with quotas, lending and fair share,
/// against the same pool and depth as one team (no teams configured), sampled round-robin in the same run. Each sample
/// is what <see cref="SchedulingLatencyScenario"/> measures: a completion handled and the pass that fills the gap.
/// </summary>
internal sealed class TeamSchedulingScenario : IBenchmarkScenario
{
    private const int Capacity = 8;
    private const int Depth = 100_000;
    private const int Teams = 1_000;
    private const int WarmUpSamples = 20;

    public string Name => "teams";

    public string Description => "next start decision at 100k waiting: 1,000 teams with quotas and fair share vs one team";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var samples = context.Quick ? 60 : 200;
        var pool = SchedulingLatencyScenario.Pool;
        var single = new SchedulerRig(context.NewFolder("teams-single"), new Dictionary<string, int> { [pool] = Capacity }, TimeSpan.FromSeconds(1));
        var shared = new SchedulerRig(context.NewFolder("teams-shared"), new Dictionary<string, int> { [pool] = Capacity }, TimeSpan.FromSeconds(1));
        try
        {
            // Eight teams hold a quota of one each (lending it), the rest borrow; weights 1 to 4.
            for (var t = 0; t < Teams; t++)
            {
                var team = new TeamOptions { Weight = 1 + (t % 4) };
                if (t < Capacity)
                {
                    team.Quota[pool] = 1;
                    team.Lending[pool] = LendingMode.Lend;
                }

                shared.Options.Teams[TeamName(t)] = team;
            }

            var count = Depth + Capacity + WarmUpSamples + samples;
            await JobSeeder.SeedAsync(single.Store, "waiting", count, pool, seed: 1, cancellationToken);
            await JobSeeder.SeedAsync(shared.Store, "waiting", count, pool, seed: 1, cancellationToken, i => TeamName(i % Teams));
            foreach (var rig in new[] { single, shared })
            {
                rig.Signal.Signal();
                var first = await rig.SettleAsync(cancellationToken);
                if (first.Result.Started != Capacity)
                {
                    throw new InvalidOperationException($"Expected the first pass to fill the pool ({Capacity}), it started {first.Result.Started}.");
                }
            }

            var singleSamples = new List<DecisionSample>(samples);
            var sharedSamples = new List<DecisionSample>(samples);
            for (var i = 0; i < WarmUpSamples + samples; i++)
            {
                var one = await SchedulingLatencyScenario.MeasureOneAsync(single, cancellationToken);
                var many = await SchedulingLatencyScenario.MeasureOneAsync(shared, cancellationToken);
                if (i >= WarmUpSamples)
                {
                    singleSamples.Add(one);
                    sharedSamples.Add(many);
                }
            }

            return Summarise(
                new LatencySummary([.. singleSamples.Select(s => s.ToDecided)]),
                new LatencySummary([.. sharedSamples.Select(s => s.ToDecided)]),
                new LatencySummary([.. singleSamples.Select(s => s.ToCommitted)]),
                new LatencySummary([.. sharedSamples.Select(s => s.ToCommitted)]));
        }
        finally
        {
            await single.DisposeAsync();
            await shared.DisposeAsync();
        }
    }

    private static string TeamName(int team) => "team-" + team.ToString("D4", CultureInfo.InvariantCulture);

    private ScenarioResult Summarise(LatencySummary single, LatencySummary shared, LatencySummary singleCommitted, LatencySummary sharedCommitted)
    {
        var ratio = shared.P50Milliseconds / single.P50Milliseconds;
        var committedRatio = sharedCommitted.P50Milliseconds / singleCommitted.P50Milliseconds;
        var figures = new List<BenchmarkFigure>
        {
            new(Name, "decision p50, 1,000 teams at 100k waiting", Formats.Ms(shared.P50Milliseconds), $"{Formats.Ms(single.P50Milliseconds)} (one team)", Formats.Ratio(ratio), "≤ 2×", ratio <= 2),
            new(Name, "decision p99, 1,000 teams at 100k waiting", Formats.Ms(shared.P99Milliseconds), $"{Formats.Ms(single.P99Milliseconds)} (one team)", Formats.Ratio(shared.P99Milliseconds / single.P99Milliseconds), "≤ 5 ms", shared.P99Milliseconds <= 5),
            new(Name, "decision + durable commit p50, 1,000 teams", Formats.Ms(sharedCommitted.P50Milliseconds), $"{Formats.Ms(singleCommitted.P50Milliseconds)} (one team)", Formats.Ratio(committedRatio), "reported", null),
            new(Name, "decision + durable commit p99, 1,000 teams", Formats.Ms(sharedCommitted.P99Milliseconds), $"{Formats.Ms(singleCommitted.P99Milliseconds)} (one team)", Formats.Ratio(sharedCommitted.P99Milliseconds / singleCommitted.P99Milliseconds), "reported", null),
        };
        var details = new List<string>
        {
            Formats.Invariant($"Pool {SchedulingLatencyScenario.Pool} with capacity {Capacity}, all full; {Depth:N0} waiting; LookAhead 64; {single.Count} samples each after {WarmUpSamples} warm-up samples, the two pools interleaved."),
            Formats.Invariant($"Teams: {Teams:N0}, jobs assigned round-robin; {Capacity} of them hold a quota of 1 (Lend), the rest borrow; weights 1-4. With teams a pass reads the whole look-ahead (64 jobs) and plans by quota and fair share; without, it reads the one job it needs."),
            "Decision = from handing a completion event to the processor until the claim of the next job (pending → starting) is handed to the store: the event's own write (deferred, no fsync), the reads, the plan.",
            "Decision + durable commit = until that claim is committed with an fsync, which the scheduler waits for before it calls SageMaker; the fsync's latency is the disk's, the same with or without teams.",
            "",
            "| pool | decision p50 | decision p99 | decision max | + commit p50 | + commit p99 | + commit max |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            $"| one team | {Formats.Ms(single.P50Milliseconds)} | {Formats.Ms(single.P99Milliseconds)} | {Formats.Ms(single.Percentile(1))} | {Formats.Ms(singleCommitted.P50Milliseconds)} | {Formats.Ms(singleCommitted.P99Milliseconds)} | {Formats.Ms(singleCommitted.Percentile(1))} |",
            $"| 1,000 teams | {Formats.Ms(shared.P50Milliseconds)} | {Formats.Ms(shared.P99Milliseconds)} | {Formats.Ms(shared.Percentile(1))} | {Formats.Ms(sharedCommitted.P50Milliseconds)} | {Formats.Ms(sharedCommitted.P99Milliseconds)} | {Formats.Ms(sharedCommitted.Percentile(1))} |",
        };
        return new ScenarioResult(figures, details);
    }
}
