using System.Globalization;

namespace QueuedTraining.Core.Forecasting;

/// <summary>
/// The work that arrived in one pool over a recent window, by priority: what a waiting job's <c>latest</c> is widened by,
/// on the assumption that work ahead of it keeps arriving at the rate it did. Pure: built from the arrivals and the
/// window, asked with a time; one forecast's, not shared between threads.
/// </summary>
internal sealed class ArrivalRates
{
    // Priorities in descending order, each with the work (instance-seconds) of every arrival of that priority or higher.
    private readonly (int Priority, double WorkAtOrAbove)[] _cumulative;
    private readonly Dictionary<int, string?> _notes = [];

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
    /// <paramref name="latest"/> of a waiting job of <paramref name="priority"/> moved by the work expected to arrive ahead
    /// of it (<see cref="Widen"/>), and the words that say so, or null when nothing arrives ahead of it. The words are
    /// made once per priority: a forecast asks for every waiting job's.
    /// </summary>
    public (DateTimeOffset Latest, string? Note) AllowFor(DateTimeOffset latest, int priority, DateTimeOffset now, int capacity)
    {
        if (!_notes.TryGetValue(priority, out var note))
        {
            var rate = Above(priority);
            note = rate <= 0 ? null : string.Create(
                CultureInfo.InvariantCulture,
                $"; latest allows for higher-priority work arriving at {rate:0.#} instance-hours per hour, as over the last {DurationEstimate.Format(Window)}");
            _notes[priority] = note;
        }

        return note is null || latest <= now ? (latest, null) : (now + Widen(latest - now, priority, capacity), note);
    }
}
