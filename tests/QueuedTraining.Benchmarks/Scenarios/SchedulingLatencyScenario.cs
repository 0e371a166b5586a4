using System.Diagnostics;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// Time from a capacity-freeing state change (a running job completes) to the committed decision to start
/// the next job, with 100, 10,000 and 100,000 jobs waiting in the pool. Each sample runs
/// <c>StateChangeProcessor.HandleAsync</c> then <c>QueueScheduler.RunPassAsync</c> on the real SQLite store,
/// which is what the event pump and the scheduler process do. The depths are sampled round-robin, so a
/// burst of noise from other work on the machine lands on all of them alike; 100 waiting is the baseline.
/// </summary>
internal sealed class SchedulingLatencyScenario : IBenchmarkScenario
{
    internal const string Pool = "ml.p4d.24xlarge";
    private const int Capacity = 8;
    private const int WarmUpSamples = 20;

    public string Name => "scheduling";

    public string Description => "capacity-freeing state change → next start decision committed, at 100 / 10k / 100k waiting";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        int[] depths = [100, 10_000, 100_000];
        var samples = context.Quick ? 60 : 200;
        var rigs = new List<SchedulerRig>();
        try
        {
            foreach (var depth in depths)
            {
                var rig = new SchedulerRig(context.NewFolder($"sched-{depth}"), new Dictionary<string, int> { [Pool] = Capacity }, TimeSpan.FromSeconds(1));
                rigs.Add(rig);

                // Every sample starts one job, so seed enough that the depth stays at its nominal value throughout.
                var seedWatch = Stopwatch.StartNew();
                await JobSeeder.SeedAsync(rig.Store, "waiting", depth + Capacity + WarmUpSamples + samples, Pool, seed: depth, cancellationToken);
                BenchmarkLog.Write(Formats.Invariant($"scheduling: seeded {depth + Capacity + WarmUpSamples + samples:N0} jobs in {seedWatch.Elapsed.TotalSeconds:0.0} s"));
                // Seeding writes to the store directly, past the commands that would signal the scheduler.
                rig.Signal.Signal();
                var first = await rig.SettleAsync(cancellationToken);
                if (first.Result.Started != Capacity)
                {
                    throw new InvalidOperationException($"Expected the first pass to fill the pool ({Capacity}), it started {first.Result.Started}.");
                }
            }

            var latencies = depths.Select(_ => new List<long>(samples)).ToArray();
            var passes = depths.Select(_ => new List<long>(samples)).ToArray();
            var commits = new List<long>(samples);
            for (var i = 0; i < WarmUpSamples + samples; i++)
            {
                // The floor under every decision: one durable (fsynced) SQLite commit, timed in the same rounds.
                var commitStarted = Stopwatch.GetTimestamp();
                await rigs[0].Store.TryAcquireLeaseAsync("benchmark", rigs[0].Time.GetUtcNow(), TimeSpan.FromSeconds(15), cancellationToken);
                if (i >= WarmUpSamples)
                {
                    commits.Add(Stopwatch.GetTimestamp() - commitStarted);
                }

                for (var d = 0; d < rigs.Count; d++)
                {
                    var (_, toDecision, toEndOfPass) = await MeasureOneAsync(rigs[d], cancellationToken);
                    if (i >= WarmUpSamples)
                    {
                        latencies[d].Add(toDecision);
                        passes[d].Add(toEndOfPass);
                    }
                }
            }

            return Summarise(depths, [.. latencies.Select(l => new LatencySummary(l))], [.. passes.Select(l => new LatencySummary(l))], new LatencySummary(commits));
        }
        finally
        {
            foreach (var rig in rigs)
            {
                await rig.DisposeAsync();
            }
        }
    }

    /// <summary>Completes one running job and times the handling of that event plus the pass that fills the gap.</summary>
    internal static async Task<DecisionSample> MeasureOneAsync(SchedulerRig rig, CancellationToken cancellationToken)
    {
        var running = await rig.Store.GetHoldingCapacityAsync(Pool, cancellationToken);
        var victim = running.OrderBy(j => j.UpdatedAt).ThenBy(j => j.Name, StringComparer.Ordinal).First();
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        var change = new TrainingJobStateChange(victim.CurrentAttemptName!, TrainingJobStatus.Completed, SecondaryStatus.Completed, null, rig.Time.GetUtcNow());

        rig.StartClock.Reset();
        var started = Stopwatch.GetTimestamp();
        var state = await rig.Processor.HandleAsync(change, cancellationToken);
        var pass = await rig.Scheduler.RunPassAsync(fence: null, cancellationToken: cancellationToken);
        var ended = Stopwatch.GetTimestamp();

        if (state != JobState.Completed || pass.Started != 1)
        {
            throw new InvalidOperationException($"Expected the completion to free one instance and one start; got {state} and {pass.Started} start(s).");
        }

        // The simulated SageMaker's InProgress event for the new job: applied outside the timed window.
        await rig.DeliverEventsAsync(cancellationToken);
        return new DecisionSample(rig.StartClock.FirstStartDecidedAt - started, rig.StartClock.FirstStartCommittedAt - started, ended - started);
    }

    private ScenarioResult Summarise(int[] depths, LatencySummary[] summaries, LatencySummary[] passes, LatencySummary commit)
    {
        var baseline = summaries[0];
        var figures = new List<BenchmarkFigure>();
        var details = new List<string>
        {
            Formats.Invariant($"Pool {Pool} with capacity {Capacity}, all full; LookAhead 64; {baseline.Count} samples per depth after {WarmUpSamples} warm-up samples, depths interleaved."),
            "Decision = from handing the completion event to the processor until the write that claims the next job (pending → starting) is committed;",
            "the whole pass also calls the simulated SageMaker and confirms the start (a deferred commit); the new head's reason is worked out only when it is read.",
            "On the path to the decision are two commits, the completed job (deferred) and then the claim of the next one (durable), so the disk's fsync latency is the floor:",
            $"one durable SQLite commit alone, timed in the same rounds: p50 {Formats.Ms(commit.P50Milliseconds)}, p99 {Formats.Ms(commit.P99Milliseconds)}.",
            "",
            "| waiting | decision p50 | decision p99 | decision max | whole pass p50 | whole pass p99 |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
        };
        for (var d = 0; d < depths.Length; d++)
        {
            var s = summaries[d];
            details.Add($"| {Formats.Count(depths[d])} | {Formats.Ms(s.P50Milliseconds)} | {Formats.Ms(s.P99Milliseconds)} | {Formats.Ms(s.Percentile(1))} | {Formats.Ms(passes[d].P50Milliseconds)} | {Formats.Ms(passes[d].P99Milliseconds)} |");
            if (d == 0)
            {
                continue;
            }

            var ratio = s.P50Milliseconds / baseline.P50Milliseconds;
            var isLargest = d == depths.Length - 1;
            figures.Add(new BenchmarkFigure(
                Name,
                $"decision p50 at {Formats.Count(depths[d])} waiting",
                Formats.Ms(s.P50Milliseconds),
                $"{Formats.Ms(baseline.P50Milliseconds)} (100 waiting)",
                Formats.Ratio(ratio),
                isLargest ? "≤ 2× at 100k" : "—",
                isLargest ? ratio <= 2 : null));
            figures.Add(new BenchmarkFigure(
                Name,
                $"decision p99 at {Formats.Count(depths[d])} waiting",
                Formats.Ms(s.P99Milliseconds),
                $"{Formats.Ms(baseline.P99Milliseconds)} (100 waiting)",
                Formats.Ratio(s.P99Milliseconds / baseline.P99Milliseconds),
                isLargest ? "≤ 5 ms" : "—",
                isLargest ? s.P99Milliseconds <= 5 : null));
        }

        return new ScenarioResult(figures, details);
    }
}

/// <summary>One sample of <see cref="SchedulingLatencyScenario.MeasureOneAsync"/>, in <see cref="Stopwatch"/> ticks from the event.</summary>
/// <param name="ToDecided">Until the claim of the next job was handed to the store: reading, planning, deciding.</param>
/// <param name="ToCommitted">Until that claim was committed durably (an fsync).</param>
/// <param name="ToEndOfPass">Until the pass ended, the SageMaker call and its confirmation included.</param>
internal readonly record struct DecisionSample(long ToDecided, long ToCommitted, long ToEndOfPass);
