using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Core;
using QueuedTraining.Core.Checkpoints;
using QueuedTraining.Core.Commands;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Queries;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.Teams;
using QueuedTraining.Stores.Sqlite;

namespace QueuedTraining.Benchmarks.Scenarios.Forecast;

/// <summary>
/// What expected starts cost at depth: the CPU time of one pool's forecast (three replays through the planner) at 1,000,
/// 10,000 and 100,000 waiting jobs, the first of them the depth forecasts were capped at before; then, over a SQLite store
/// holding 100,000 waiting jobs, the first read after a change (store read and replay) and the p99 of reading one waiting
/// job's view from the cached forecast, beside reading a job that does not wait (no forecast at all).
/// </summary>
internal sealed class ForecastCostScenario : IBenchmarkScenario
{
    private const string Pool = "ml.p4d.24xlarge";
    private const int Capacity = 64;
    private const int Reads = 2_000;

    private static readonly JobCaller Viewer = new("bench", IsOperator: true);

    public string Name => "forecast-cost";

    public string Description => "forecast CPU at 1k/10k/100k waiting, and p99 of one job's forecast read from the cache at 100k waiting";

    public async Task<ScenarioResult> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var options = new QueueOptions { Capacity = new Dictionary<string, int> { [Pool] = Capacity } };
        var history = new RuntimeHistory(new FixedOptionsMonitor<QueueOptions>(options));
        var forecaster = new StartForecaster(new QueuePlanner(new PriorityPreemptionPolicy(), new PlannerSettings(options.LookAhead, options.ReconcileInterval)));
        var now = BenchmarkJobs.Epoch.AddDays(1);
        var replays = new List<(int Depth, double CpuMs)>();
        var deepest = context.Quick ? 30_000 : 100_000;
        var jobs = Enumerable.Range(0, deepest)
            .Select(i => BenchmarkJobs.PendingJob(Formats.Invariant($"cost-{i % 40}-{i:D6}"), i % 10, Pool, BenchmarkJobs.Epoch.AddMilliseconds(i)))
            .OrderBy(j => j.QueueKey, StringComparer.Ordinal)
            .ToList();
        Learn(history, now);

        // The first replays compile the code and let tiered compilation settle; they are not measured.
        for (var warmUp = 0; warmUp < 3; warmUp++)
        {
            forecaster.Forecast(new PoolSnapshot(Pool, Capacity, [], jobs[..5_000], true), now, history.EstimateFor);
        }

        var estimates = new List<TimeSpan>();
        for (var run = 0; run < 3; run++)
        {
            var before = ProcessCpu();
            foreach (var job in jobs)
            {
                history.EstimateFor(job);
            }

            estimates.Add(ProcessCpu() - before);
        }

        var estimating = estimates.Order().ElementAt(1);
        foreach (var depth in new[] { 1_000, 10_000, deepest })
        {
            var pool = new PoolSnapshot(Pool, Capacity, [], jobs[..depth], true, options.PreemptionRulesFor(Pool));
            var cpu = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                var before = ProcessCpu();
                var forecast = forecaster.Forecast(pool, now, history.EstimateFor);
                cpu.Add((ProcessCpu() - before).TotalMilliseconds);
                if (forecast.Count != depth)
                {
                    throw new InvalidOperationException($"The forecast covered {forecast.Count} of {depth} jobs.");
                }
            }

            replays.Add((depth, cpu.Order().ElementAt(1)));
            BenchmarkLog.Write(Formats.Invariant($"forecast-cost: {depth:N0} waiting, {replays[^1].CpuMs:0} ms CPU"));
        }

        var (firstSeen, allowance, withAllowance, withoutAllowance) = MeasureArrivalAllowance(options, history, forecaster, jobs, now);

        var (firstRead, wholeLineRead, forecastRead, view, count, notWaiting) = await MeasureReadsAsync(context, options, deepest, cancellationToken);
        var perJob = replays[^1].CpuMs / replays[^1].Depth;
        var baselinePerJob = replays[0].CpuMs / replays[0].Depth;
        var figures = new List<BenchmarkFigure>
        {
            new(Name, Formats.Invariant($"CPU of one pool's forecast, {deepest:N0} waiting"), Formats.Ms(replays[^1].CpuMs), Formats.Invariant($"1,000 waiting: {Formats.Ms(replays[0].CpuMs)}"), Formats.Invariant($"{perJob / baselinePerJob:0.00}× per job"), "≤ 1 s", replays[^1].CpuMs <= 1_000),
            new(Name, Formats.Invariant($"CPU of the first read after a change, {deepest:N0} waiting (catch-up from the change log + forecast)"), Formats.Invariant($"{firstRead.Cpu.TotalMilliseconds:0} ms"), Formats.Invariant($"reading the whole line instead: {wholeLineRead.Cpu.TotalMilliseconds:0} ms"), Formats.Ratio(firstRead.Cpu.TotalMilliseconds / wholeLineRead.Cpu.TotalMilliseconds), "≤ 1 s", firstRead.Cpu.TotalMilliseconds <= 1_000),
            new(Name, Formats.Invariant($"p99 read of one waiting job's forecast from the cache, {deepest:N0} waiting"), Formats.Ms(forecastRead.P99Milliseconds), "reading a job that does not wait: " + Formats.Ms(notWaiting.P99Milliseconds), Formats.Ratio(forecastRead.P99Milliseconds / notWaiting.P99Milliseconds), "≤ 5 ms", forecastRead.P99Milliseconds <= 5),
            new(Name, Formats.Invariant($"p99 GET of one waiting job (position count + forecast), {deepest:N0} waiting"), Formats.Ms(view.P99Milliseconds), "counting the jobs ahead alone: " + Formats.Ms(count.P99Milliseconds), Formats.Ratio(view.P99Milliseconds / count.P99Milliseconds), "reported", null),
        };
        var details = new List<string>
        {
            "Forecast CPU (process, median of 3) by depth: " + string.Join(", ", replays.Select(r => Formats.Invariant($"{r.Depth:N0} waiting {r.CpuMs:0} ms ({r.CpuMs * 1000 / r.Depth:0.0} µs per job)"))) + Formats.Invariant($"; capacity {Capacity}, look-ahead {options.LookAhead}, 40 families with learned runtimes. Of it, estimating each job's duration (reading its request for MaxRuntime and family) costs {estimating.TotalMilliseconds:0} ms at {deepest:N0}. The allowance for arrivals in `latest`: recording the pool's jobs as arrivals and reading the rates costs {allowance.TotalMilliseconds:0} ms at {deepest:N0} once the jobs are known ({firstSeen.TotalMilliseconds:0} ms the first time they are seen, when each request is read); the forecast with the allowance {withAllowance:0} ms against {withoutAllowance:0} ms without it (median of 3 each, alternating)."),
            Formats.Invariant($"Reads over SQLite at {deepest:N0} waiting, {Reads:N0} of each, cache warm: one job's forecast p50 {Formats.Ms(forecastRead.P50Milliseconds)} p99 {Formats.Ms(forecastRead.P99Milliseconds)}; the whole view of a waiting job (JobQueries.GetAsync: read, count of the jobs ahead, forecast) p50 {Formats.Ms(view.P50Milliseconds)} p99 {Formats.Ms(view.P99Milliseconds)}, of which the store's count of the jobs ahead alone p50 {Formats.Ms(count.P50Milliseconds)} p99 {Formats.Ms(count.P99Milliseconds)}; a job that does not wait p50 {Formats.Ms(notWaiting.P50Milliseconds)} p99 {Formats.Ms(notWaiting.P99Milliseconds)}."),
            Formats.Invariant($"First read after a change (one waiting job's priority raised): {firstRead.Cpu.TotalMilliseconds:0} ms process CPU ({firstRead.Wall.TotalMilliseconds:0} ms wall); the pool's line is kept between forecasts and brought up to date from the store's change log. A service's first read, which reads and parses the whole line of {deepest:N0} jobs from SQLite: {wholeLineRead.Cpu.TotalMilliseconds:0} ms CPU ({wholeLineRead.Wall.TotalMilliseconds:0} ms wall)."),
        };
        return new ScenarioResult(figures, details);
    }

    /// <summary>The process CPU and wall time of one read of a waiting job, which computes the pool's forecast.</summary>
    private static async Task<(TimeSpan Cpu, TimeSpan Wall)> TimeFirstReadAsync(JobQueries queries, CancellationToken cancellationToken)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var first = await queries.GetAsync("waiting-000002", Viewer, cancellationToken);
        wall.Stop();
        process.Refresh();
        if (first?.ExpectedStart is null)
        {
            throw new InvalidOperationException("A waiting job's read carried no expected start.");
        }

        return (process.TotalProcessorTime - cpuBefore, wall.Elapsed);
    }

    private static async Task<((TimeSpan Cpu, TimeSpan Wall) First, (TimeSpan Cpu, TimeSpan Wall) WholeLine, LatencySummary Forecast, LatencySummary View, LatencySummary Count, LatencySummary NotWaiting)> MeasureReadsAsync(BenchmarkContext context, QueueOptions options, int depth, CancellationToken cancellationToken)
    {
        var folder = context.NewFolder("forecast-cost");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(BenchmarkJobs.Epoch.AddDays(1));
        var monitor = new FixedOptionsMonitor<QueueOptions>(options);
        var signal = new SchedulerSignal();
        await using var store = new SqliteJobStore(Options.Create(new SqliteJobStoreOptions { Path = Path.Combine(folder, "jobs.db") }));
        try
        {
            await JobSeeder.SeedAsync(store, "waiting", depth, Pool, seed: 17, cancellationToken);
            var done = JobLifecycle.Move(
                JobLifecycle.Move(BenchmarkJobs.PendingJob("done", 5, Pool, BenchmarkJobs.Epoch).WithNewAttempt(new JobAttempt(1, "done-1", BenchmarkJobs.Epoch)), JobEvent.StartClaimed, "bench", BenchmarkJobs.Epoch),
                JobEvent.StartConfirmed,
                "bench",
                BenchmarkJobs.Epoch);
            await store.AddAsync(done, cancellationToken);
            JobQueries NewQueries() => new(store, monitor, time, new PriorityPreemptionPolicy(), new RuntimeHistory(monitor), signal, new TeamUsageLedger(), new ArrivalHistory(monitor, time), new CheckpointCache(new NoCheckpointReader(), monitor, time, NullLogger<CheckpointCache>.Instance));
            var queries = NewQueries();

            // One read compiles the code paths and reads the line; then a real change (a waiting job's priority), and the
            // first read after it pays for the forecast. The baseline is a service's first read, which reads the whole line.
            await queries.GetAsync("waiting-000001", Viewer, cancellationToken);
            var changed = (await store.GetAsync("waiting-000003", cancellationToken))!;
            time.Advance(TimeSpan.FromSeconds(1));
            await store.TryUpdateAsync(changed, changed with { Priority = changed.Priority + 1, UpdatedAt = time.GetUtcNow() }, cancellationToken: cancellationToken);
            signal.Signal(Pool);
            var firstRead = await TimeFirstReadAsync(queries, cancellationToken);
            var wholeLineRead = await TimeFirstReadAsync(NewQueries(), cancellationToken);
            var random = new Random(17);
            var cached = new List<long>(Reads);
            var notWaiting = new List<long>(Reads);
            var counting = new List<long>(Reads);
            var forecastOnly = new List<long>(Reads);
            for (var i = 0; i < Reads; i++)
            {
                var name = Formats.Invariant($"waiting-{random.Next(depth):D6}");
                var started = Stopwatch.GetTimestamp();
                var view = await queries.GetAsync(name, Viewer, cancellationToken);
                cached.Add(Stopwatch.GetTimestamp() - started);
                if (view?.ExpectedStart is null)
                {
                    throw new InvalidOperationException($"{name} carried no expected start.");
                }

                started = Stopwatch.GetTimestamp();
                await queries.GetAsync("done", Viewer, cancellationToken);
                notWaiting.Add(Stopwatch.GetTimestamp() - started);
                started = Stopwatch.GetTimestamp();
                await store.CountWaitingAheadAsync(view.Job, cancellationToken);
                counting.Add(Stopwatch.GetTimestamp() - started);
                started = Stopwatch.GetTimestamp();
                var forecasts = await queries.ForecastAsync(Pool, cancellationToken);
                var found = forecasts.ContainsKey(name);
                forecastOnly.Add(Stopwatch.GetTimestamp() - started);
                if (!found)
                {
                    throw new InvalidOperationException($"{name} is missing from its pool's forecast.");
                }
            }

            return (firstRead, wholeLineRead, new LatencySummary(forecastOnly), new LatencySummary(cached), new LatencySummary(counting), new LatencySummary(notWaiting));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Thirty completed runs for each of the 40 families, so every estimate rests on learned runtimes.</summary>
    /// <summary>
    /// The CPU of allowing for arrivals in a forecast of every job: recording the jobs as arrivals and reading the rates
    /// the first time the jobs are seen (each request read once), then, median of three, when every job is already known;
    /// and the forecast with the allowance against the same forecast without it.
    /// </summary>
    private static (TimeSpan FirstSeen, TimeSpan Known, double WithMs, double WithoutMs) MeasureArrivalAllowance(QueueOptions options, RuntimeHistory history, StartForecaster forecaster, List<QueuedJob> jobs, DateTimeOffset now)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now - options.ForecastArrivalWindow);
        var arrivals = new ArrivalHistory(new FixedOptionsMonitor<QueueOptions>(options), clock);
        clock.SetUtcNow(now);
        var pool = new PoolSnapshot(Pool, Capacity, [], jobs, true, options.PreemptionRulesFor(Pool));
        var recording = new List<TimeSpan>();
        ArrivalRates? rates = null;
        for (var run = 0; run < 4; run++)
        {
            var before = ProcessCpu();
            arrivals.Record(jobs);
            rates = arrivals.RatesFor(Pool, now, (owner, traits) => history.EstimateFor(Pool, owner, traits).Quantile(DurationEstimate.Median, TimeSpan.Zero))
                ?? throw new InvalidOperationException("A whole window was watched, so there are rates.");
            recording.Add(ProcessCpu() - before);
        }

        var with = new List<double>();
        var without = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var before = ProcessCpu();
            forecaster.Forecast(pool, now, history.EstimateFor);
            var middle = ProcessCpu();
            forecaster.Forecast(pool, now, history.EstimateFor, arrivals: rates);
            without.Add((middle - before).TotalMilliseconds);
            with.Add((ProcessCpu() - middle).TotalMilliseconds);
        }

        return (recording[0], recording.Skip(1).Order().ElementAt(1), with.Order().ElementAt(1), without.Order().ElementAt(1));
    }

    private static void Learn(RuntimeHistory history, DateTimeOffset now)
    {
        for (var family = 0; family < 40; family++)
        {
            for (var run = 0; run < 30; run++)
            {
                var started = now.AddHours(-run - 2);
                var job = BenchmarkJobs.PendingJob(Formats.Invariant($"cost-{family}-run{run}"), 5, Pool, started);
                var attempt = new JobAttempt(1, job.Name, started, started.AddMinutes(20 + ((family * 7) + (run * 13)) % 100));
                var running = JobLifecycle.Move(JobLifecycle.Move(job.WithNewAttempt(attempt with { EndedAt = null }), JobEvent.StartClaimed, "bench", started), JobEvent.StartConfirmed, "bench", started);
                history.Record(JobLifecycle.Move(running.WithCurrentAttempt(attempt), JobEvent.AttemptCompleted, "bench", attempt.EndedAt!.Value));
            }
        }
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
