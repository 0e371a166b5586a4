using Microsoft.Extensions.Time.Testing;
using QueuedTraining.Benchmarks.Infrastructure;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core;
using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;

namespace QueuedTraining.Benchmarks.Scenarios.Forecast;

/// <summary>
/// Replays one pool's part of a <see cref="ForecastTrace"/> as events: arrivals, attempt ends (after each job's true
/// runtime; a preempted job restarts from scratch), and after each the real <see cref="QueuePlanner"/> decides whom to
/// start and preempt until it proposes nothing. A <see cref="RuntimeHistory"/> learns each completion as it happens, so
/// a forecast made at time t knows only runs that ended before t. At every sample instant it records each waiting job's
/// forecast (and the two baselines) from the state the scheduler would see then. An <see cref="ArrivalHistory"/> per
/// window in <see cref="ArrivalWindows"/> watches the arrivals, so each sample also says where <c>latest</c> lies with no
/// allowance for arrivals and with the allowance each window's rates give.
/// </summary>
internal sealed class ForecastReplay
{
    private const string Reason = "replay";
    private const int MeanWindow = 100;

    /// <summary>The arrival windows the backtest compares; the forecast itself uses the options' own.</summary>
    public static readonly IReadOnlyList<TimeSpan> ArrivalWindows = [TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(24), TimeSpan.FromHours(48)];

    private readonly string _pool;
    private readonly int _capacity;
    private readonly QueueOptions _options;
    private readonly QueuePlanner _planner;
    private readonly StartForecaster _forecaster;
    private readonly Dictionary<string, ForecastTraceJob> _trace;
    private readonly List<(QueuedJob Job, DateTimeOffset End)> _holders = [];
    private readonly List<QueuedJob> _waiting = [];
    private readonly Queue<(TimeSpan Runtime, int Instances)> _recent = new();
    private readonly FakeTimeProvider _clock = new(BenchmarkJobs.Epoch);
    private readonly ArrivalHistory _arrivals;
    private readonly List<(TimeSpan Window, ArrivalHistory History)> _arrivalsByWindow;

    private ForecastReplay(string pool, int capacity, QueueOptions options, IReadOnlyList<ForecastTraceJob> jobs)
    {
        _pool = pool;
        _capacity = capacity;
        _options = options;
        _planner = new QueuePlanner(new PriorityPreemptionPolicy(), new PlannerSettings(options.LookAhead, options.ReconcileInterval));
        _forecaster = new StartForecaster(_planner);
        History = new RuntimeHistory(new FixedOptionsMonitor<QueueOptions>(options));
        _trace = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        _arrivals = new ArrivalHistory(new FixedOptionsMonitor<QueueOptions>(options), _clock);
        _arrivalsByWindow = [.. ArrivalWindows.Select(w => (w, new ArrivalHistory(new FixedOptionsMonitor<QueueOptions>(CopyWithWindow(options, w)), _clock)))];
    }

    private static QueueOptions CopyWithWindow(QueueOptions options, TimeSpan window) => new()
    {
        Capacity = options.Capacity,
        ForecastWindow = options.ForecastWindow,
        ForecastFamilyTagKey = options.ForecastFamilyTagKey,
        ForecastArrivalWindow = window,
    };

    public RuntimeHistory History { get; }

    /// <summary>Every start of every job (a preempted job starts again), in time order.</summary>
    public Dictionary<string, List<DateTimeOffset>> Starts { get; } = new(StringComparer.Ordinal);

    public List<ForecastSample> Samples { get; } = [];

    public List<CompletedRun> Completions { get; } = [];

    public int Preemptions { get; private set; }

    public static ForecastReplay Run(string pool, int capacity, QueueOptions options, IReadOnlyList<ForecastTraceJob> trace, TimeSpan sampleEvery, Action<ForecastReplay, DateTimeOffset, PoolSnapshot>? onSample = null)
    {
        var jobs = trace.Where(j => j.Family.Pool == pool).ToList();
        var replay = new ForecastReplay(pool, capacity, options, jobs);
        var epoch = BenchmarkJobs.Epoch;
        var next = 0;
        var nextSample = epoch + sampleEvery;
        while (next < jobs.Count || replay._holders.Count > 0 || replay._waiting.Count > 0)
        {
            var time = DateTimeOffset.MaxValue;
            if (next < jobs.Count)
            {
                time = epoch + jobs[next].ArrivesAfter;
            }

            foreach (var (_, end) in replay._holders)
            {
                time = end < time ? end : time;
            }

            var sampling = nextSample <= time;
            time = sampling ? nextSample : time;
            replay._clock.SetUtcNow(time);
            replay.Complete(time);
            for (; next < jobs.Count && epoch + jobs[next].ArrivesAfter <= time; next++)
            {
                replay.Arrive(jobs[next], epoch);
            }

            replay.PlanUntilIdle(time);
            if (sampling)
            {
                var snapshot = replay.Snapshot();
                replay.Sample(time, snapshot);
                onSample?.Invoke(replay, time, snapshot);
                nextSample += sampleEvery;
            }
        }

        return replay;
    }

    /// <summary>The pool as the scheduler sees it now.</summary>
    private PoolSnapshot Snapshot() =>
        new(_pool, _capacity, _holders.ConvertAll(h => h.Job), [.. _waiting], WaitingIsComplete: true, _options.PreemptionRulesFor(_pool));

    private void Sample(DateTimeOffset now, PoolSnapshot snapshot)
    {
        if (snapshot.Waiting.Count == 0)
        {
            return;
        }

        var withoutArrivals = _forecaster.Forecast(snapshot, now, History.EstimateFor);
        var forecasts = Widen(_arrivals, withoutArrivals, snapshot, now);
        var byWindow = _arrivalsByWindow.ConvertAll(w => (w.Window, Forecasts: Widen(w.History, withoutArrivals, snapshot, now)));
        var maxRuntimeOnly = _forecaster.Simulate(snapshot, now, (job, _) => _trace[job.Name].Family.MaxRuntime);

        // Position × mean runtime: the jobs ahead drain at the pool's throughput, capacity ÷ mean instances per job
        // attempts per mean runtime, both over the pool's recent completions (before any: half of its MaxRuntime).
        var position = 0;
        foreach (var job in snapshot.Waiting)
        {
            position++;
            var mean = _recent.Count == 0 ? _trace[job.Name].Family.MaxRuntime / 2 : TimeSpan.FromSeconds(_recent.Average(r => r.Runtime.TotalSeconds));
            var instances = _recent.Count == 0 ? job.InstanceCount : _recent.Average(r => r.Instances);
            var byPosition = now + (mean * (position * instances / _capacity));
            if (forecasts.TryGetValue(job.Name, out var forecast) && maxRuntimeOnly.TryGetValue(job.Name, out var bound))
            {
                Samples.Add(new ForecastSample(job.Name, now, position, forecast, bound, byPosition, job.Priority)
                {
                    LatestWithoutArrivals = withoutArrivals[job.Name].Latest,
                    LatestByWindow = byWindow.ToDictionary(w => w.Window, w => w.Forecasts[job.Name].Latest),
                });
            }
        }
    }

    /// <summary><paramref name="forecasts"/> with <c>latest</c> as the forecast widens it at the rates <paramref name="arrivals"/> saw.</summary>
    private IReadOnlyDictionary<string, ExpectedStart> Widen(ArrivalHistory arrivals, IReadOnlyDictionary<string, ExpectedStart> forecasts, PoolSnapshot snapshot, DateTimeOffset now)
    {
        var rates = arrivals.RatesFor(_pool, now, (owner, traits) => History.EstimateFor(_pool, owner, traits).Quantile(DurationEstimate.Median, TimeSpan.Zero));
        if (rates is null)
        {
            return forecasts;
        }

        var widened = new Dictionary<string, ExpectedStart>(forecasts.Count, StringComparer.Ordinal);
        foreach (var job in snapshot.Waiting)
        {
            if (forecasts.TryGetValue(job.Name, out var forecast))
            {
                widened[job.Name] = forecast with { Latest = rates.AllowFor(forecast.Latest, job.Priority, now, _capacity).Latest };
            }
        }

        return widened;
    }

    private void Complete(DateTimeOffset time)
    {
        for (var i = _holders.Count - 1; i >= 0; i--)
        {
            var (job, end) = _holders[i];
            if (end > time)
            {
                continue;
            }

            _holders.RemoveAt(i);
            var completed = JobLifecycle.Move(job.WithCurrentAttempt(job.CurrentAttempt! with { EndedAt = end }), JobEvent.AttemptCompleted, Reason, end) with { EndedAt = end };
            History.Record(completed);
            var runtime = end - job.CurrentAttempt!.StartedAt;
            Completions.Add(new CompletedRun(_trace[job.Name], completed, end, runtime));
            _recent.Enqueue((runtime, job.InstanceCount));
            if (_recent.Count > MeanWindow)
            {
                _recent.Dequeue();
            }
        }
    }

    private void Arrive(ForecastTraceJob trace, DateTimeOffset epoch)
    {
        var at = epoch + trace.ArrivesAfter;
        var json = "{\"StoppingCondition\":{\"MaxRuntimeInSeconds\":" + Formats.Invariant($"{(int)trace.Family.MaxRuntime.TotalSeconds}") + "}}";
        var job = JobLifecycle.Submitted(new QueuedJob
        {
            Name = trace.Name,
            Owner = trace.Family.Owner,
            Priority = trace.Priority,
            InstanceType = _pool,
            InstanceCount = trace.Family.InstanceCount,
            EnqueuedAt = at,
            UpdatedAt = at,
            RequestJson = json,
            RequestHash = trace.Name,
        }, "submitted", at);
        _arrivals.Record(job);
        foreach (var (_, history) in _arrivalsByWindow)
        {
            history.Record(job);
        }

        Enqueue(job);
    }

    private void Enqueue(QueuedJob job)
    {
        var at = _waiting.FindIndex(w => string.CompareOrdinal(w.QueueKey, job.QueueKey) > 0);
        _waiting.Insert(at < 0 ? _waiting.Count : at, job);
    }

    private void PlanUntilIdle(DateTimeOffset time)
    {
        while (true)
        {
            var plan = _planner.Plan(Snapshot(), time);
            if (plan.Starts.Count == 0 && plan.Preemptions.Count == 0)
            {
                return;
            }

            foreach (var job in plan.Starts)
            {
                _waiting.Remove(job);
                var running = JobLifecycle.Move(
                    JobLifecycle.Move(job.WithNewAttempt(new JobAttempt(job.NextAttemptNumber, job.Name + "-" + job.NextAttemptNumber, time)), JobEvent.StartClaimed, Reason, time),
                    JobEvent.StartConfirmed,
                    Reason,
                    time);
                _holders.Add((running, time + _trace[job.Name].Runtime));
                if (!Starts.TryGetValue(job.Name, out var starts))
                {
                    starts = [];
                    Starts[job.Name] = starts;
                }

                starts.Add(time);
            }

            foreach (var preemption in plan.Preemptions)
            {
                var index = _holders.FindIndex(h => h.Job.Name == preemption.Victim.Name);
                if (index < 0)
                {
                    continue;
                }

                _holders.RemoveAt(index);
                Preemptions++;
                Enqueue(JobLifecycle.Move(
                    JobLifecycle.Move(preemption.Victim, JobEvent.PreemptRequested, Reason, time),
                    JobEvent.AttemptStopped,
                    Reason,
                    time));
            }
        }
    }
}

/// <summary>One waiting job's forecast at one instant, with the two baselines.</summary>
internal sealed record ForecastSample(string Job, DateTimeOffset At, int Position, ExpectedStart Forecast, DateTimeOffset MaxRuntimeOnly, DateTimeOffset ByPosition, int Priority)
{
    /// <summary>Where <c>latest</c> lies with no allowance for arrivals: the forecast before this was built.</summary>
    public DateTimeOffset LatestWithoutArrivals { get; init; }

    /// <summary>Where <c>latest</c> lies with the allowance for arrivals measured over each window.</summary>
    public IReadOnlyDictionary<TimeSpan, DateTimeOffset> LatestByWindow { get; init; } = new Dictionary<TimeSpan, DateTimeOffset>();

    /// <summary>This sample with <c>latest</c> at <paramref name="latest"/>.</summary>
    public ForecastSample WithLatest(DateTimeOffset latest) => this with { Forecast = Forecast with { Latest = latest } };
}

/// <summary>A run that completed, and when.</summary>
internal sealed record CompletedRun(ForecastTraceJob Trace, QueuedJob Job, DateTimeOffset EndedAt, TimeSpan Runtime);
