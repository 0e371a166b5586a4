namespace QueuedTraining.Core.Forecasting;

/// <summary>
/// Each pool's latest forecast, so that reading one job's expected start costs a dictionary look-up, not a replay. A
/// pool's forecast is computed at the first read after the queue changed (a signalled change or a finished scheduling
/// pass, counted by <c>SchedulerSignal.Changes</c>) or once it is older than the given age, since changes made by another
/// replica are not signalled here. Readers that arrive while it is computed share that one computation.
/// </summary>
internal sealed class ForecastCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _pools = new(StringComparer.Ordinal);

    /// <summary>
    /// The forecast of <paramref name="pool"/>: the cached one when it was computed at change <paramref name="changes"/>
    /// no earlier than <paramref name="now"/> minus <paramref name="maxAge"/>, else a new one from <paramref name="compute"/>.
    /// </summary>
    public Task<IReadOnlyDictionary<string, ExpectedStart>> GetAsync(
        string pool,
        long changes,
        DateTimeOffset now,
        TimeSpan maxAge,
        Func<Task<IReadOnlyDictionary<string, ExpectedStart>>> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        lock (_gate)
        {
            if (_pools.TryGetValue(pool, out var entry) && entry.Changes == changes && now - entry.ComputedAt < maxAge && !entry.Forecast.IsFaulted && !entry.Forecast.IsCanceled)
            {
                return entry.Forecast;
            }

            // Computed outside the lock and without the first reader's cancellation: later readers share it.
            var forecast = Task.Run(compute);
            _pools[pool] = new Entry(changes, now, forecast);
            return forecast;
        }
    }

    private sealed record Entry(long Changes, DateTimeOffset ComputedAt, Task<IReadOnlyDictionary<string, ExpectedStart>> Forecast);
}
