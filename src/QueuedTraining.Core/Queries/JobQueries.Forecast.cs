using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Queries;

/// <summary>Expected starts: one forecast per pool per request, shared by every job of that pool it answers.</summary>
public sealed partial class JobQueries
{
    /// <summary>
    /// The deepest place in line a forecast reaches: the jobs ahead are read and replayed, so a job further back gets no
    /// expected start rather than a request that reads a whole queue.
    /// </summary>
    public const int MaxForecastDepth = 1_000;

    private static readonly IReadOnlyDictionary<string, ExpectedStart> NoForecasts = new Dictionary<string, ExpectedStart>();

    /// <summary>
    /// The expected start of each of the first <paramref name="upTo"/> waiting jobs of <paramref name="instanceType"/>,
    /// by name: the pool's holders and those jobs replayed through the scheduler's own planner (see
    /// <see cref="StartForecaster"/>) with runtimes learned from recent completed runs.
    /// </summary>
    internal async Task<IReadOnlyDictionary<string, ExpectedStart>> ForecastAsync(string instanceType, long upTo, CancellationToken cancellationToken = default)
    {
        var options = _options.CurrentValue;
        if (!options.Capacity.TryGetValue(instanceType, out var capacity))
        {
            return NoForecasts;
        }

        await _history.EnsureSeededAsync(_store, cancellationToken).ConfigureAwait(false);
        var holding = await _store.GetHoldingCapacityAsync(instanceType, cancellationToken).ConfigureAwait(false);
        var waiting = await _store.GetWaitingAsync(instanceType, (int)Math.Min(upTo, MaxForecastDepth), cancellationToken).ConfigureAwait(false);
        var planner = new QueuePlanner(_policy, new PlannerSettings(options.LookAhead, options.ReconcileInterval));
        var pool = new PoolSnapshot(instanceType, capacity, holding, waiting, WaitingIsComplete: true);
        return new StartForecaster(planner).Forecast(pool, _time.GetUtcNow(), _history.EstimateFor);
    }

    /// <summary><paramref name="views"/> with the expected starts of their waiting jobs, one forecast per pool.</summary>
    private async Task<IReadOnlyList<JobView>> WithExpectedStartsAsync(List<JobView> views, CancellationToken cancellationToken)
    {
        var depths = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            if (view.QueuePosition is { } position)
            {
                depths[view.Job.InstanceType] = Math.Max(position, depths.GetValueOrDefault(view.Job.InstanceType));
            }
        }

        if (depths.Count == 0)
        {
            return views;
        }

        var forecasts = new Dictionary<string, IReadOnlyDictionary<string, ExpectedStart>>(StringComparer.Ordinal);
        foreach (var (instanceType, depth) in depths)
        {
            forecasts[instanceType] = await ForecastAsync(instanceType, depth, cancellationToken).ConfigureAwait(false);
        }

        return views.ConvertAll(view => view.QueuePosition is null
            ? view
            : view with { ExpectedStart = forecasts[view.Job.InstanceType].GetValueOrDefault(view.Job.Name) });
    }
}
