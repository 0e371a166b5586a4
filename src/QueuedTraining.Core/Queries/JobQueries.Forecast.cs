using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;
using QueuedTraining.Core.Teams;

namespace QueuedTraining.Core.Queries;

/// <summary>Expected starts: one forecast per pool per queue change, shared by every read until the next.</summary>
public sealed partial class JobQueries
{
    /// <summary>
    /// The deepest place in line a forecast reaches: a pool's forecast reads and replays its waiting jobs up to here, so a
    /// job further back gets no expected start rather than a recomputation that reads an unbounded queue.
    /// </summary>
    public const int MaxForecastDepth = 100_000;

    private static readonly IReadOnlyDictionary<string, ExpectedStart> NoForecasts = new Dictionary<string, ExpectedStart>();

    /// <summary>
    /// The expected start of each of the first <see cref="MaxForecastDepth"/> waiting jobs of <paramref name="instanceType"/>,
    /// by name: the pool's holders and waiting jobs replayed through the scheduler's own planner (see
    /// <see cref="StartForecaster"/>) with runtimes learned from recent completed runs. Computed once per queue change (or
    /// per reconcile interval, for changes made by other replicas) and shared by every read until then.
    /// </summary>
    internal async Task<IReadOnlyDictionary<string, ExpectedStart>> ForecastAsync(string instanceType, CancellationToken cancellationToken = default)
    {
        var options = _options.CurrentValue;
        if (!options.Capacity.ContainsKey(instanceType))
        {
            return NoForecasts;
        }

        var now = _time.GetUtcNow();
        var forecast = await _forecasts
            .GetAsync(instanceType, _signal.Changes, now, options.ReconcileInterval, () => ComputeForecastAsync(instanceType))
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return forecast;
    }

    /// <summary>One replay of the pool as the store holds it now; not cancellable, since later readers share it.</summary>
    private async Task<IReadOnlyDictionary<string, ExpectedStart>> ComputeForecastAsync(string instanceType)
    {
        var options = _options.CurrentValue;
        if (!options.Capacity.TryGetValue(instanceType, out var capacity))
        {
            return NoForecasts;
        }

        await _history.EnsureSeededAsync(_store, CancellationToken.None).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var holding = await _store.GetHoldingCapacityAsync(instanceType, CancellationToken.None).ConfigureAwait(false);
        var waiting = await _lines.ReadAsync(_store, instanceType, MaxForecastDepth, now, CancellationToken.None).ConfigureAwait(false);
        var pool = ReplaySnapshot(options, instanceType, capacity, holding, waiting, now);

        // Jobs submitted through another replica count as arrivals once seen here.
        _arrivals.Record(pool.Holding.Concat(pool.Waiting));
        return new StartForecaster(NewPlanner(options)).Forecast(pool, now, _history.EstimateFor, arrivals: ArrivalRatesFor(pool, now));
    }

    /// <summary>
    /// The pool as a forecast or a what-if replays it: planned as the scheduler plans it, with its preemption rules, its
    /// aging and, when teams are configured, their shares with fair-share usage as last charged (held fixed through the
    /// replay), so that a job its team's quota holds back is not forecast to start on instances it may not use. Running
    /// jobs carry their newest checkpoint as the scheduler last read it (a read here never asks S3), so victims are
    /// chosen, and their lost work counted, as the scheduler would.
    /// </summary>
    private PoolSnapshot ReplaySnapshot(QueueOptions options, string instanceType, int capacity, IReadOnlyList<QueuedJob> holding, IReadOnlyList<QueuedJob> waiting, DateTimeOffset now) =>
        AsPlanned(options, instanceType, capacity, holding, waiting, waitingIsComplete: true, now);

    /// <summary>
    /// A pool as the scheduler's next pass would see it, for a read: its rules, its aging, its holders' checkpoints as last
    /// read and, with teams, their shares with usage as last charged (peeked, never charged by a read).
    /// </summary>
    private PoolSnapshot AsPlanned(QueueOptions options, string instanceType, int capacity, IReadOnlyList<QueuedJob> holding, IReadOnlyList<QueuedJob> waiting, bool waitingIsComplete, DateTimeOffset now) =>
        new(instanceType, capacity, WithCheckpoints(holding), waiting, waitingIsComplete, options.PreemptionRulesFor(instanceType), options.AgingFor(instanceType),
            options.HasTeams ? TeamShares.For(options, instanceType, _usage.Peek(instanceType, now, options.FairShareHalfLife)) : null);

    /// <summary>
    /// The rates at which higher-priority work has been arriving in <paramref name="pool"/>, which <c>latest</c> allows
    /// for (<see cref="ArrivalRates"/>); null until a whole window was watched.
    /// </summary>
    private ArrivalRates? ArrivalRatesFor(PoolSnapshot pool, DateTimeOffset now) =>
        _arrivals.RatesFor(pool.InstanceType, now, (owner, traits) => _history.EstimateFor(pool.InstanceType, owner, traits).Quantile(DurationEstimate.Median, TimeSpan.Zero));

    /// <summary>
    /// <paramref name="job"/>'s expected start from its pool's forecast, moved to now where the forecast, made a moment
    /// ago, already lies in the past: the job has not started yet, so it starts now at the soonest.
    /// </summary>
    private ExpectedStart? ReadForecast(IReadOnlyDictionary<string, ExpectedStart> forecasts, string job)
    {
        if (!forecasts.TryGetValue(job, out var forecast))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        return forecast.Earliest >= now ? forecast : forecast with
        {
            Earliest = now,
            Likely = forecast.Likely < now ? now : forecast.Likely,
            Latest = forecast.Latest < now ? now : forecast.Latest,
        };
    }

    private QueuePlanner NewPlanner(QueueOptions options) => new(_policy, new PlannerSettings(options.LookAhead, options.ReconcileInterval));

    /// <summary><paramref name="views"/> with the expected starts of their waiting jobs, from their pools' forecasts.</summary>
    private async Task<IReadOnlyList<JobView>> WithExpectedStartsAsync(List<JobView> views, CancellationToken cancellationToken)
    {
        var forecasts = new Dictionary<string, IReadOnlyDictionary<string, ExpectedStart>>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            if (view.QueuePosition is <= MaxForecastDepth && !forecasts.ContainsKey(view.Job.InstanceType))
            {
                forecasts[view.Job.InstanceType] = await ForecastAsync(view.Job.InstanceType, cancellationToken).ConfigureAwait(false);
            }
        }

        return views.ConvertAll(view => view.QueuePosition is <= MaxForecastDepth
            ? view with { ExpectedStart = ReadForecast(forecasts[view.Job.InstanceType], view.Job.Name) }
            : view);
    }
}
