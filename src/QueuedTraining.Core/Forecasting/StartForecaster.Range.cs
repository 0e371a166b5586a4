using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Forecasting;

/// <summary>The three runs of the simulation that make a range, and the words that explain it.</summary>
internal sealed partial class StartForecaster
{
    /// <summary>What every forecast assumes, said with each one.</summary>
    public const string Assumptions = "assumes no new higher-priority arrivals and no failures";

    private const int BasesShown = 3;

    /// <summary>
    /// The expected start of every waiting job of <paramref name="pool"/> that starts in the simulation, by name: three
    /// simulations, each attempt ending at its MaxRuntime (<c>latest</c>), at the median of its estimate (<c>likely</c>)
    /// or at its low quantile (<c>earliest</c>). Instances being released count as free at once except in <c>latest</c>.
    /// <paramref name="onLikelyPreemption"/> is told of each preemption of the <c>likely</c> run, and when. With
    /// <paramref name="arrivals"/>, <c>latest</c> also allows for higher-priority work arriving at those rates
    /// (<see cref="ArrivalRates.Widen"/>) and the basis says so.
    /// </summary>
    public IReadOnlyDictionary<string, ExpectedStart> Forecast(
        PoolSnapshot pool,
        DateTimeOffset now,
        Func<QueuedJob, DurationEstimate> estimateOf,
        Action<Preemption, DateTimeOffset>? onLikelyPreemption = null,
        ArrivalRates? arrivals = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(estimateOf);
        var estimates = new Dictionary<string, DurationEstimate>(StringComparer.Ordinal);
        DurationEstimate Estimate(QueuedJob job)
        {
            if (!estimates.TryGetValue(job.Name, out var estimate))
            {
                estimate = estimateOf(job);
                estimates[job.Name] = estimate;
            }

            return estimate;
        }

        AttemptDuration At(double quantile) => (job, elapsed) =>
            job.State is JobState.Preempting or JobState.Stopping ? elapsed : Estimate(job).Quantile(quantile, elapsed);

        var latest = Simulate(pool, now, (job, _) => Estimate(job).MaxRuntime);
        var likely = Simulate(pool, now, At(DurationEstimate.Median), onLikelyPreemption);
        var earliest = Simulate(pool, now, At(DurationEstimate.Early));

        // A job's start depends on the attempts that hold the pool and those that start before it: name their bases.
        var bases = new List<string>();
        foreach (var holder in pool.Holding)
        {
            AddBasis(bases, Estimate(holder).Basis);
        }

        var waiting = pool.Waiting.ToDictionary(j => j.Name, StringComparer.Ordinal);
        var forecasts = new Dictionary<string, ExpectedStart>(StringComparer.Ordinal);
        foreach (var (name, likelyStart) in likely.OrderBy(s => s.Value))
        {
            // A preempted holder that starts again is not a waiting job of the snapshot: it gets no forecast.
            if (!waiting.TryGetValue(name, out var started))
            {
                continue;
            }

            if (latest.TryGetValue(name, out var latestStart) && earliest.TryGetValue(name, out var earliestStart))
            {
                // Without preemption shorter attempts never delay a start. With it they can: a head that fits sooner
                // preempts no one, so the job it would have displaced holds on. The range then spans all three runs.
                var low = Min(Min(earliestStart, likelyStart), latestStart);
                var high = Max(Max(earliestStart, likelyStart), latestStart);
                var (widened, note) = arrivals is null ? (high, null) : arrivals.AllowFor(high, started.Priority, now, pool.Capacity);
                high = widened;
                var basis = bases.Count == 0
                    ? $"it starts as soon as the scheduler passes; {Assumptions}{note}"
                    : $"from {Describe(bases)}; {Assumptions}{note}";
                forecasts[name] = new ExpectedStart(low, likelyStart, high, basis);
            }

            AddBasis(bases, Estimate(started).Basis);
        }

        return forecasts;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static void AddBasis(List<string> bases, string basis)
    {
        if (!bases.Contains(basis, StringComparer.Ordinal))
        {
            bases.Add(basis);
        }
    }

    private static string Describe(List<string> bases) =>
        bases.Count <= BasesShown
            ? string.Join("; ", bases)
            : string.Join("; ", bases.Take(BasesShown)) + $"; and {bases.Count - BasesShown} more";
}
