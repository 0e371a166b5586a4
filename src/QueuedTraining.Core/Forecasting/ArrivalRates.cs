using System.Globalization;
using QueuedTraining.Core.Planning;

namespace QueuedTraining.Core.Forecasting;

/// <summary>
/// The work that arrived in one pool over a recent window, by priority: what a waiting job's <c>latest</c> is widened by,
/// on the assumption that work ahead of it keeps arriving at the rate it did. Pure: built from the arrivals and the
/// window, asked with a time.
/// </summary>
internal sealed class ArrivalRates
{
    // Priorities in descending order, each with the work (instance-seconds) of every arrival of that priority or higher.
    private readonly (int Priority, double WorkAtOrAbove)[] _cumulative;

    /// <param name="window">How long the arrivals were watched: the rate is their work over this span.</param>
    /// <param name="arrivals">Each arrival's priority and expected work, its instances × its likely runtime, in instance-seconds.</param>
    public ArrivalRates(TimeSpan window, IEnumerable<(int Priority, double Work)> arrivals)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(arrivals);
        Window = window;
        var total = 0.0;
        _cumulative = [.. arrivals
            .GroupBy(a => a.Priority)
            .OrderByDescending(g => g.Key)
            .Select(g => (g.Key, total += g.Sum(a => a.Work)))];
    }

    /// <summary>The span the rates were measured over, and the furthest ahead they are extrapolated.</summary>
    public TimeSpan Window { get; }

    /// <summary>Instance-seconds of work per second arriving with a priority above <paramref name="priority"/>: it queues ahead.</summary>
    public double Above(int priority)
    {
        var work = 0.0;
        foreach (var (arrived, atOrAbove) in _cumulative)
        {
            if (arrived <= priority)
            {
                break;
            }

            work = atOrAbove;
        }

        return work / Window.TotalSeconds;
    }

    /// <summary>
    /// How long a job of <paramref name="priority"/> waits in a pool of <paramref name="capacity"/> instances when, with no
    /// arrivals, it would wait <paramref name="wait"/>. Work of higher priority arrives at rate r and goes ahead of it; the
    /// pool serves at most its capacity, so each second of waiting adds r ÷ capacity = ρ seconds more, and those add
    /// their own: the wait w solves w = wait + ρ·w, that is wait ÷ (1 − ρ). Arrivals are counted over no more of the wait
    /// than the window the rate was measured over (a rate seen over 3 h says nothing of the day after), so w = wait + ρ·min(w, window):
    /// the same answer while it is within the window, else wait + ρ·window, finite also when ρ ≥ 1.
    /// </summary>
    public TimeSpan Widen(TimeSpan wait, int priority, int capacity)
    {
        if (wait <= TimeSpan.Zero || capacity <= 0)
        {
            return wait;
        }

        var load = Above(priority) / capacity;
        if (load <= 0)
        {
            return wait;
        }

        if (load < 1)
        {
            var unbounded = wait.TotalSeconds / (1 - load);
            if (unbounded <= Window.TotalSeconds)
            {
                return TimeSpan.FromSeconds(unbounded);
            }
        }

        return wait + (Window * load);
    }

    /// <summary>
    /// <paramref name="forecasts"/> of <paramref name="pool"/>'s waiting jobs with each <c>latest</c> widened by the work
    /// expected to arrive ahead of it (<see cref="Widen"/>); <c>earliest</c> and <c>likely</c> keep assuming none.
    /// </summary>
    public IReadOnlyDictionary<string, ExpectedStart> WidenLatest(IReadOnlyDictionary<string, ExpectedStart> forecasts, PoolSnapshot pool, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        ArgumentNullException.ThrowIfNull(pool);
        var widened = new Dictionary<string, ExpectedStart>(forecasts.Count, StringComparer.Ordinal);
        var notes = new Dictionary<int, string?>();
        foreach (var job in pool.Waiting)
        {
            if (!forecasts.TryGetValue(job.Name, out var forecast))
            {
                continue;
            }

            if (!notes.TryGetValue(job.Priority, out var note))
            {
                var rate = Above(job.Priority);
                note = rate <= 0 ? null : string.Create(
                    CultureInfo.InvariantCulture,
                    $"; latest allows for higher-priority work arriving at {rate:0.#} instance-hours per hour, as over the last {DurationEstimate.Format(Window)}");
                notes[job.Priority] = note;
            }

            widened[job.Name] = note is null || forecast.Latest <= now ? forecast : forecast with
            {
                Latest = now + Widen(forecast.Latest - now, job.Priority, pool.Capacity),
                Basis = forecast.Basis + note,
            };
        }

        return widened;
    }
}
