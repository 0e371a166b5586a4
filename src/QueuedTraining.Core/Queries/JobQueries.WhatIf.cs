using QueuedTraining.Core.Forecasting;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Queries;

/// <summary>The what-if answer: a job that is not stored, placed in its pool's queue as if it were.</summary>
public sealed partial class JobQueries
{
    /// <summary>
    /// Where <paramref name="candidate"/> (see <c>JobCommands.Preview</c>) would stand if it were queued now, when it
    /// would be expected to start, whom the scheduler would preempt for it at once and, replaying the queue forward, later,
    /// with the work each would lose. Reads only; stores nothing.
    /// </summary>
    public async Task<WhatIfView> WhatIfAsync(QueuedJob candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var ahead = await _store.CountWaitingAheadAsync(candidate, cancellationToken).ConfigureAwait(false);
        var options = _options.CurrentValue;
        if (ahead >= MaxForecastDepth || !options.Capacity.TryGetValue(candidate.InstanceType, out var capacity))
        {
            return new WhatIfView(candidate, ahead + 1, null, []);
        }

        await _history.EnsureSeededAsync(_store, cancellationToken).ConfigureAwait(false);
        var holding = await _store.GetHoldingCapacityAsync(candidate.InstanceType, cancellationToken).ConfigureAwait(false);
        List<QueuedJob> waiting = ahead == 0 ? [] : new List<QueuedJob>(await _store.GetWaitingAsync(candidate.InstanceType, (int)ahead, cancellationToken).ConfigureAwait(false));
        waiting.Add(candidate);
        var planner = NewPlanner(options);
        var now = _time.GetUtcNow();
        var pool = ReplaySnapshot(options, candidate.InstanceType, capacity, holding, waiting, now);
        var preempts = planner.Plan(pool, now).Preemptions.Where(p => p.For.Name == candidate.Name).Select(p => p.Victim.Name).ToList();
        var preemptions = new List<ExpectedPreemption>();
        var forecasts = new StartForecaster(planner).Forecast(pool, now, _history.EstimateFor, (preemption, at) =>
        {
            if (preemption.For.Name == candidate.Name && preemption.Victim.CurrentAttempt is not null)
            {
                // Counted from its newest checkpoint seen now, as the scheduler counts it: checkpoints it writes before then
                // would make the loss smaller.
                preemptions.Add(new ExpectedPreemption(preemption.Victim.Name, at, VictimOrder.WorkLostInstanceSeconds(preemption.Victim, at) / 3600));
            }
        }, ArrivalRatesFor(pool, now));
        return new WhatIfView(candidate, ahead + 1, forecasts.GetValueOrDefault(candidate.Name), preempts) { Preemptions = preemptions };
    }
}
