using System.Diagnostics;
using System.Diagnostics.Metrics;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Scheduling;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// <see cref="TraceReplayScenario"/>'s 15,000-job trace replayed with the three <see cref="TraceTeams"/> configured,
/// against the same trace with no teams (one team) in the same run, the two alternating so that both see the same
/// machine. Reports the process's CPU time per job of each, the preemptions and quota reclaims, and each team's
/// instance-hours read back from the store.
/// </summary>
internal sealed class TeamTraceReplayScenario : IBenchmarkScenario
{
    private const string PreemptionsInstrument = "queuedtraining.job.preemptions";
    private const int TeamSeed = 15;

    public string Name => "trace-teams";

    public string Description => "the 15,000-job trace with three teams (Lend, LendAndBorrow, fair share only) vs one team";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var count = context.Quick ? 3_000 : 15_000;

        // A smaller trace through each configuration first, so that the measured runs see compiled code.
        var warmUp = KueueScaleTrace.Generate(count / 10, seed: 1);
        await ReplayAsync(context, "trace-teams-warm-up-one", warmUp, teams: null, cancellationToken);
        await ReplayAsync(context, "trace-teams-warm-up-three", warmUp, TraceTeams.Assign(warmUp, TeamSeed), cancellationToken);

        var trace = KueueScaleTrace.Generate(count, seed: 15_000);
        var assigned = TraceTeams.Assign(trace, TeamSeed);
        var single = new List<Run>();
        var three = new List<Run>();
        for (var round = 0; round < (context.Quick ? 1 : 3); round++)
        {
            // Alternate which goes first, so that a drift of the machine's speed does not favour one.
            foreach (var withTeams in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var run = await ReplayAsync(context, Formats.Invariant($"trace-teams-{round + 1}-{(withTeams ? "three" : "one")}"), trace, withTeams ? assigned : null, cancellationToken);
                (withTeams ? three : single).Add(run);
                BenchmarkLog.Write(Formats.Invariant($"trace-teams round {round + 1}, {(withTeams ? "three teams" : "one team")}: {run.Cpu.TotalMilliseconds / count:0.000} ms CPU per job"));
            }
        }

        return Summarise(count, warmUp.Count, single, three);
    }

    /// <summary>
    /// One replay through a fresh store, with <paramref name="teams"/> (job name to team) configured, or no teams when
    /// null. CPU time covers the replay only; the store is read back for each team's instance-hours afterwards.
    /// </summary>
    private static async Task<Run> ReplayAsync(BenchmarkContext context, string folder, IReadOnlyList<TraceJob> trace, Dictionary<string, string>? teams, CancellationToken cancellationToken)
    {
        await using var rig = new SchedulerRig(context.NewFolder(folder), new Dictionary<string, int>(KueueScaleTrace.Capacity), stopGracePeriod: TimeSpan.FromSeconds(30));
        if (teams is not null)
        {
            foreach (var (team, options) in TraceTeams.Configure(KueueScaleTrace.Capacity))
            {
                rig.Options.Teams[team] = options;
            }
        }

        // Reclaims are the preemptions whose rule is ReclaimQuota; the engine's own counter tells them apart.
        var reclaimCode = ReasonCatalog.For(PreemptionRule.ReclaimQuota).Code;
        var reclaims = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == PreemptionsInstrument)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == QueueMetrics.RuleTag && Equals(tag.Value, reclaimCode))
                {
                    Interlocked.Add(ref reclaims, value);
                }
            }
        });
        listener.Start();

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var kernelBefore = process.PrivilegedProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var collectionsBefore = GC.CollectionCount(0);
        var wall = Stopwatch.StartNew();
        var replay = await TraceReplayScenario.ReplayAsync(
            rig,
            trace,
            cancellationToken,
            teams is null ? null : job => TraceTeams.Request(job, teams));
        wall.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var footprint = new Footprint(process.PrivilegedProcessorTime - kernelBefore, GC.GetTotalAllocatedBytes() - allocatedBefore, GC.CollectionCount(0) - collectionsBefore);
        return new Run(cpu, wall.Elapsed, replay.Simulated, replay.Totals, replay.Passes, Interlocked.Read(ref reclaims), footprint, await ReadTeamsAsync(rig, trace, cancellationToken));
    }

    /// <summary>Per team, from the stored jobs: jobs, completed jobs, instance-hours of every attempt, and attempts preempted.</summary>
    private static async Task<Dictionary<string, TeamOutcome>> ReadTeamsAsync(SchedulerRig rig, IReadOnlyList<TraceJob> trace, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<string, TeamOutcome>(StringComparer.Ordinal);
        var now = rig.Time.GetUtcNow();
        foreach (var traced in trace)
        {
            var job = await rig.Store.GetAsync(traced.Name, cancellationToken) ?? throw new InvalidOperationException($"Job {traced.Name} is missing from the store.");
            var hours = job.Attempts.Sum(a => ((a.EndedAt ?? now) - a.StartedAt).TotalHours * job.InstanceCount);

            // The scheduler costs every attempt it preempts, and only those.
            var preempted = job.Attempts.Count(a => a.WorkLostInstanceSeconds is not null);
            var outcome = outcomes.GetValueOrDefault(job.Team) ?? new TeamOutcome(0, 0, 0, 0);
            outcomes[job.Team] = new TeamOutcome(
                outcome.Jobs + 1,
                outcome.Completed + (job.State == JobState.Completed ? 1 : 0),
                outcome.InstanceHours + hours,
                outcome.Preempted + preempted);
        }

        return outcomes;
    }

    private ScenarioResult Summarise(int count, int warmUpCount, List<Run> single, List<Run> three)
    {
        var singleMedian = Median(single, count);
        var threeMedian = Median(three, count);
        var typical = three.Single(r => r.Cpu.TotalMilliseconds / count == threeMedian);
        var typicalSingle = single.Single(r => r.Cpu.TotalMilliseconds / count == singleMedian);
        var completed = single.Concat(three).Min(r => r.Teams.Values.Sum(t => t.Completed));
        var runs = three.Count > 1 ? Formats.Invariant($", median of {three.Count} runs") : string.Empty;
        var figures = new List<BenchmarkFigure>
        {
            new(
                Name,
                Formats.Invariant($"CPU time per job, three teams ({count:N0} jobs{runs})"),
                Formats.Ms(threeMedian),
                $"{Formats.Ms(singleMedian)} (one team)",
                Formats.Ratio(threeMedian / singleMedian),
                "≤ 1 ms",
                threeMedian <= 1),
            new(Name, "preemptions, three teams (of which reclaims)", Formats.Invariant($"{typical.Totals.Preempted:N0} ({typical.Reclaims:N0})"), $"{Formats.Count(typicalSingle.Totals.Preempted)} (one team)", "—", "reported", null),
            new(Name, "jobs completed (fewest of the runs)", Formats.Count(completed), Formats.Invariant($"{count:N0} submitted"), "—", "all", completed == count),
        };

        var configured = TraceTeams.Configure(KueueScaleTrace.Capacity);
        var totalHours = typical.Teams.Values.Sum(t => t.InstanceHours);
        var details = new List<string>
        {
            Formats.Invariant($"Pools: {string.Join(", ", KueueScaleTrace.Capacity.Select(p => $"{p.Key} × {p.Value}"))}; {KueueScaleTrace.PriorityLevels} priority levels; offered load 110 % of capacity."),
            Formats.Invariant($"The same trace replayed {three.Count} time(s) with three teams and {single.Count} time(s) with none, alternating, each through a fresh store; the figures are the median runs; after a warm-up trace of {warmUpCount:N0} jobs through each configuration."),
            "CPU per job, each run: one team " + string.Join(" / ", single.Select(r => Formats.Ms(r.Cpu.TotalMilliseconds / count))) + "; three teams " + string.Join(" / ", three.Select(r => Formats.Ms(r.Cpu.TotalMilliseconds / count))) + ".",
            Formats.Invariant($"Median three-team run: simulated span {typical.Simulated.TotalDays:0.00} days; wall time {typical.Wall.TotalSeconds:0.0} s; process CPU time {typical.Cpu.TotalSeconds:0.0} s; {typical.Totals.Started:N0} starts, {typical.Totals.Preempted:N0} preemptions ({typical.Reclaims:N0} of them reclaims), {typical.Passes:N0} passes."),
            Formats.Invariant($"Of the CPU, in the kernel (fsync and writes above all): three teams {typical.Footprint.Kernel.TotalMilliseconds / count:0.000} ms per job, one team {typicalSingle.Footprint.Kernel.TotalMilliseconds / count:0.000} ms. Allocated per job: three teams {typical.Footprint.Allocated / 1024.0 / count:0.0} KB ({typical.Footprint.Collections:N0} gen-0 collections), one team {typicalSingle.Footprint.Allocated / 1024.0 / count:0.0} KB ({typicalSingle.Footprint.Collections:N0})."),
            Formats.Invariant($"Median one-team run: simulated span {typicalSingle.Simulated.TotalDays:0.00} days; wall time {typicalSingle.Wall.TotalSeconds:0.0} s; process CPU time {typicalSingle.Cpu.TotalSeconds:0.0} s; {typicalSingle.Totals.Started:N0} starts, {typicalSingle.Totals.Preempted:N0} preemptions, {typicalSingle.Passes:N0} passes; {typicalSingle.Teams.Values.Sum(t => t.InstanceHours):N0} instance-hours."),
            "",
            "| team | quota (p5 / p4d / g5) | lending | weight | jobs | instance-hours | share | attempts preempted |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
        };
        foreach (var team in TraceTeams.Names)
        {
            var settings = configured[team];
            var outcome = typical.Teams.GetValueOrDefault(team) ?? new TeamOutcome(0, 0, 0, 0);
            var quota = settings.Quota.Count == 0 ? "none" : string.Join(" / ", KueueScaleTrace.Capacity.Keys.Select(p => settings.Quota[p]));
            var lending = settings.Quota.Count == 0 ? "fair share only" : settings.Lending.Values.First() + (settings.BorrowLimit.Count > 0 ? " (borrow ≤ " + string.Join(" / ", KueueScaleTrace.Capacity.Keys.Select(p => settings.BorrowLimit[p])) + ")" : string.Empty);
            details.Add(Formats.Invariant($"| {team} | {quota} | {lending} | {settings.Weight:0} | {outcome.Jobs:N0} | {outcome.InstanceHours:N0} | {Formats.Percent(outcome.InstanceHours / totalHours)} | {outcome.Preempted:N0} |"));
        }

        return new ScenarioResult(figures, details);
    }

    private static double Median(List<Run> runs, int count) =>
        runs.Select(r => r.Cpu.TotalMilliseconds / count).Order().ElementAt(runs.Count / 2);

    private sealed record Run(TimeSpan Cpu, TimeSpan Wall, TimeSpan Simulated, SchedulingPassResult Totals, int Passes, long Reclaims, Footprint Footprint, Dictionary<string, TeamOutcome> Teams);

    /// <summary>Where a run's cost went besides its CPU total: time in the kernel, bytes allocated, gen-0 collections.</summary>
    private sealed record Footprint(TimeSpan Kernel, long Allocated, int Collections);

    private sealed record TeamOutcome(int Jobs, int Completed, double InstanceHours, int Preempted);
}
