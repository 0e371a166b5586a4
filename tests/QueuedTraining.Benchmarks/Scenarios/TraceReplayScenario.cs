using System.Diagnostics;
using Microsoft.Data.Sqlite;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Scheduling;

namespace QueuedTraining.Benchmarks.Scenarios;

/// <summary>
/// Replays <see cref="KueueScaleTrace"/> through the real submit command, scheduler, state-change processing
/// and SQLite store, with the simulated SageMaker on a fake clock moved in steps of a few simulated seconds.
/// After each step it does what the service's processes would: deliver SageMaker's events and run passes
/// until nothing moves. Reports the process's CPU time per job and the preemptions, and checks that every
/// job completed.
/// </summary>
internal sealed class TraceReplayScenario : IBenchmarkScenario
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(60);

    public string Name => "trace";

    public string Description => "15,000 jobs, 3 pools × 10 priorities, through the real scheduler and store in accelerated time";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var count = context.Quick ? 3_000 : 15_000;

        // A smaller trace first, through its own store, so that the measured run sees compiled code: the JIT's
        // one-off cost (a few seconds of CPU) is not a cost per job.
        var warmUp = KueueScaleTrace.Generate(count / 10, seed: 1);
        await using (var warmUpRig = NewRig(context, "trace-warm-up"))
        {
            await ReplayAsync(warmUpRig, warmUp, cancellationToken);
        }

        var trace = KueueScaleTrace.Generate(count, seed: 15_000);
        await using var rig = NewRig(context, "trace");
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var replay = await ReplayAsync(rig, trace, cancellationToken);
        wall.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var states = CountStates(rig.DatabasePath);
        return Summarise(count, warmUp.Count, cpu, wall.Elapsed, replay.Simulated, replay.Totals, replay.Passes, states);
    }

    private static SchedulerRig NewRig(BenchmarkContext context, string folder) =>
        new(context.NewFolder(folder), new Dictionary<string, int>(KueueScaleTrace.Capacity), stopGracePeriod: TimeSpan.FromSeconds(30));

    private static async Task<(SchedulingPassResult Totals, int Passes, TimeSpan Simulated)> ReplayAsync(SchedulerRig rig, IReadOnlyList<TraceJob> trace, CancellationToken cancellationToken)
    {
        var start = rig.Time.GetUtcNow();
        var totals = SchedulingPassResult.Idle;
        var passes = 0;
        var next = 0;
        var wall = Stopwatch.StartNew();
        var lastPass = start;
        var reported = 0;
        while (rig.FinishedJobs < trace.Count)
        {
            if (rig.Time.GetUtcNow() - start > GiveUpAfter)
            {
                throw new InvalidOperationException($"The trace did not finish within {GiveUpAfter.TotalDays} simulated days ({rig.FinishedJobs:N0} of {trace.Count:N0} finished).");
            }

            // Timers of the simulated SageMaker fire inside Advance and publish their state changes.
            rig.Time.Advance(Step);
            var now = rig.Time.GetUtcNow() - start;
            var arrivals = new List<Task>();
            for (; next < trace.Count && trace[next].ArrivesAfter <= now; next++)
            {
                arrivals.Add(rig.Commands.SubmitAsync("trace", KueueScaleTrace.Request(trace[next]), cancellationToken: cancellationToken));
            }

            await Task.WhenAll(arrivals);
            // Like the scheduler process: a pass on every wake-up, and at least every reconcile interval.
            if (arrivals.Count > 0 || rig.Simulated.StateChanges.TryPeek(out _) || rig.Time.GetUtcNow() - lastPass >= rig.Options.ReconcileInterval)
            {
                lastPass = rig.Time.GetUtcNow();
                var settled = await rig.SettleAsync(cancellationToken);
                totals = totals.Add(settled.Result);
                passes += settled.Passes;
            }

            if (rig.FinishedJobs >= reported + (trace.Count / 5))
            {
                reported = rig.FinishedJobs;
                BenchmarkLog.Write(Formats.Invariant($"trace: {reported:N0} of {trace.Count:N0} finished, {wall.Elapsed.TotalSeconds:0} s"));
            }
        }

        return (totals, passes, rig.Time.GetUtcNow() - start);
    }

    private static Dictionary<string, long> CountStates(string databasePath)
    {
        var states = new Dictionary<string, long>(StringComparer.Ordinal);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, COUNT(*) FROM jobs GROUP BY state";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            states[reader.GetString(0)] = reader.GetInt64(1);
        }

        return states;
    }

    private ScenarioResult Summarise(int count, int warmUpCount, TimeSpan cpu, TimeSpan wall, TimeSpan simulated, SchedulingPassResult totals, int passes, Dictionary<string, long> states)
    {
        var cpuPerJob = cpu.TotalMilliseconds / count;
        var completed = states.GetValueOrDefault(nameof(JobState.Completed));
        var figures = new List<BenchmarkFigure>
        {
            new(Name, Formats.Invariant($"CPU time per job ({count:N0} jobs)"), Formats.Ms(cpuPerJob), "— (absolute target)", "—", "≤ 1 ms", cpuPerJob <= 1),
            new(Name, "preemptions", Formats.Count(totals.Preempted), "—", "—", "reported", null),
            new(Name, "jobs completed", Formats.Count(completed), Formats.Invariant($"{count:N0} submitted"), "—", "all", completed == count),
        };
        var details = new List<string>
        {
            Formats.Invariant($"Pools: {string.Join(", ", KueueScaleTrace.Capacity.Select(p => $"{p.Key} × {p.Value}"))}; {KueueScaleTrace.PriorityLevels} priority levels; 30 queues."),
            Formats.Invariant($"Simulated span {simulated.TotalDays:0.00} days in steps of {Step.TotalSeconds:0} s; wall time {wall.TotalSeconds:0.0} s; process CPU time {cpu.TotalSeconds:0.0} s (every thread: request handling, SQLite writer, GC)."),
            Formats.Invariant($"{totals.Started:N0} starts (first starts and resumptions), {totals.Preempted:N0} preemptions, {passes:N0} scheduling passes."),
            "Final states: " + string.Join(", ", states.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => Formats.Invariant($"{s.Key} {s.Value:N0}"))) + ".",
            Formats.Invariant($"Measured after a warm-up trace of {warmUpCount:N0} jobs through its own store (JIT compilation is a one-off cost, not one per job)."),
            "Wall time is bound by fsync latency (every decision is a durable SQLite commit) and by the machine's other load; CPU time is the figure.",
        };
        return new ScenarioResult(figures, details);
    }
}
