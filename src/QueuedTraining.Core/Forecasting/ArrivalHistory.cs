using Microsoft.Extensions.Options;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Forecasting;

/// <summary>
/// The jobs that arrived in each pool over the last <see cref="QueueOptions.ForecastArrivalWindow"/>, kept in memory:
/// their priority, instances and traits, so that <c>latest</c> can allow for work that keeps arriving ahead of a waiting
/// job. A submission is recorded as it is accepted; the waiting and holding jobs a forecast reads are recorded too (each
/// job once, by name), so submissions made through another replica count once they are seen waiting or running.
/// </summary>
internal sealed class ArrivalHistory
{
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _since;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Pool> _pools = new(StringComparer.Ordinal);

    public ArrivalHistory(IOptionsMonitor<QueueOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _since = time.GetUtcNow();
    }

    /// <summary>Records <paramref name="job"/>'s arrival at its EnqueuedAt, unless it is already known or older than the window.</summary>
    public void Record(QueuedJob job) => Record([job]);

    /// <summary>Records each of <paramref name="jobs"/> as <see cref="Record(QueuedJob)"/> does, pruning once.</summary>
    public void Record(IEnumerable<QueuedJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var options = _options.CurrentValue;
        var horizon = _time.GetUtcNow() - options.ForecastArrivalWindow;
        lock (_gate)
        {
            var pruned = new HashSet<string>(StringComparer.Ordinal);
            foreach (var job in jobs)
            {
                if (job.EnqueuedAt < horizon)
                {
                    continue;
                }

                if (!_pools.TryGetValue(job.InstanceType, out var pool))
                {
                    pool = new Pool();
                    _pools[job.InstanceType] = pool;
                }

                if (pruned.Add(job.InstanceType))
                {
                    pool.Prune(horizon);
                }

                if (pool.Names.Add(job.Name))
                {
                    pool.Arrivals.Add(new Arrival(job.Name, job.EnqueuedAt, job.Priority, job.InstanceCount, job.Owner, JobTraits.Of(job, options.ForecastFamilyTagKey)));
                }
            }
        }
    }

    /// <summary>
    /// The rates at which work arrived in <paramref name="instanceType"/>'s pool over the window before
    /// <paramref name="now"/>, each arrival's work its instances × <paramref name="likelyRuntime"/>; null until a whole window
    /// has been watched (it is given each arrival's owner and traits), since a rate over a shorter span than the window would be read as one over the window.
    /// </summary>
    public ArrivalRates? RatesFor(string instanceType, DateTimeOffset now, Func<string, JobTraits, TimeSpan> likelyRuntime)
    {
        ArgumentNullException.ThrowIfNull(likelyRuntime);
        var window = _options.CurrentValue.ForecastArrivalWindow;
        if (now - _since < window)
        {
            return null;
        }

        List<Arrival> arrivals;
        lock (_gate)
        {
            if (!_pools.TryGetValue(instanceType, out var pool))
            {
                return new ArrivalRates(window, []);
            }

            pool.Prune(now - window);
            arrivals = pool.Arrivals.FindAll(a => a.At <= now);
        }

        // Arrivals of one owner, kind and priority share one estimate: a pool's arrivals over a day can be many thousands.
        return new ArrivalRates(window, arrivals
            .GroupBy(a => (a.Priority, a.Owner, a.Traits))
            .Select(g => (g.Key.Priority, g.Sum(a => a.Instances) * likelyRuntime(g.Key.Owner, g.Key.Traits).TotalSeconds)));
    }

    private sealed record Arrival(string Name, DateTimeOffset At, int Priority, int Instances, string Owner, JobTraits Traits);

    private sealed class Pool
    {
        public List<Arrival> Arrivals { get; } = [];

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public void Prune(DateTimeOffset horizon)
        {
            foreach (var old in Arrivals.Where(a => a.At < horizon))
            {
                Names.Remove(old.Name);
            }

            Arrivals.RemoveAll(a => a.At < horizon);
        }
    }
}
