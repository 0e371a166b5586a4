using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Forecasting;

/// <summary>
/// Each pool's waiting jobs in queue order, kept between forecasts and brought up to date from the store's change log
/// (<see cref="IJobChangeLog"/>), so that the forecast after one change reads that change instead of the whole line.
/// Reading and parsing a deep line from the store costs far more than replaying it; the change log holds each job's
/// current row, so applying what it returns by version is idempotent, and reading from a little before the newest change
/// seen covers an index that lags its table. The whole line is read again when the log cannot be used (a store without
/// one), after <see cref="RereadAfter"/> (a replica's clock far enough behind could hide a change from the log's order),
/// when catching up would read more than the line itself, and when the pool waits deeper than a forecast reaches.
/// </summary>
internal sealed class WaitingLines
{
    /// <summary>How far before the newest change seen each catch-up starts reading.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromSeconds(10);

    /// <summary>How long a line is kept up to date from the log before it is read whole again.</summary>
    public static readonly TimeSpan RereadAfter = TimeSpan.FromMinutes(10);

    private const int PageSize = 1_000;

    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// The first waiting jobs of <paramref name="pool"/> in queue order, at most <paramref name="depth"/>, as
    /// <see cref="IJobStore.GetWaitingAsync"/> would answer at <paramref name="now"/>.
    /// </summary>
    public async Task<IReadOnlyList<QueuedJob>> ReadAsync(IJobStore store, string pool, int depth, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store is not IJobChangeLog log)
        {
            return await store.GetWaitingAsync(pool, depth, cancellationToken).ConfigureAwait(false);
        }

        Line line;
        lock (_gate)
        {
            if (!_lines.TryGetValue(pool, out line!))
            {
                line = new Line(pool);
                _lines[pool] = line;
            }
        }

        await line.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (line.IsLoaded && now - line.LoadedAt < RereadAfter && await line.CatchUpAsync(log, depth, cancellationToken).ConfigureAwait(false))
            {
                return line.InOrder();
            }

            // One more than the depth says whether the line goes on past it; changes committed during the read are read
            // again from the log next time and applied by version.
            var from = now - Lookback;
            var waiting = await store.GetWaitingAsync(pool, depth + 1, cancellationToken).ConfigureAwait(false);
            if (waiting.Count > depth)
            {
                line.Unload();
                return waiting.Take(depth).ToList();
            }

            line.Load(waiting, from, now);
            return waiting;
        }
        finally
        {
            line.Gate.Release();
        }
    }

    /// <summary>One pool's line: its waiting jobs by queue key and by name, and how far the log has been read.</summary>
    private sealed class Line(string pool)
    {
        private readonly SortedDictionary<string, QueuedJob> _byKey = new(StringComparer.Ordinal);
        private readonly Dictionary<string, QueuedJob> _byName = new(StringComparer.Ordinal);
        private DateTimeOffset _newestChange;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool IsLoaded { get; private set; }

        public DateTimeOffset LoadedAt { get; private set; }

        public void Load(IReadOnlyList<QueuedJob> waiting, DateTimeOffset readFrom, DateTimeOffset now)
        {
            Unload();
            foreach (var job in waiting)
            {
                _byKey[job.QueueKey] = job;
                _byName[job.Name] = job;
            }

            _newestChange = readFrom;
            LoadedAt = now;
            IsLoaded = true;
        }

        public void Unload()
        {
            _byKey.Clear();
            _byName.Clear();
            IsLoaded = false;
        }

        /// <summary>
        /// Applies every change since a little before the newest one seen; false when the line must be read whole
        /// instead: the changes outnumber the line, or the pool now waits deeper than <paramref name="depth"/>.
        /// </summary>
        public async Task<bool> CatchUpAsync(IJobChangeLog log, int depth, CancellationToken cancellationToken)
        {
            var after = JobChangeKey.At(_newestChange - Lookback, string.Empty);
            var newest = _newestChange;
            var read = 0;
            while (true)
            {
                var page = await log.GetChangedAfterAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
                foreach (var job in page)
                {
                    newest = job.UpdatedAt > newest ? job.UpdatedAt : newest;
                    if (job.InstanceType == pool)
                    {
                        Apply(job);
                    }
                }

                read += page.Count;
                if (read > Math.Max(PageSize, _byKey.Count) || _byKey.Count > depth)
                {
                    return false;
                }

                if (page.Count < PageSize)
                {
                    _newestChange = newest;
                    return true;
                }

                after = JobChangeKey.Of(page[^1]);
            }
        }

        public List<QueuedJob> InOrder() => [.. _byKey.Values];

        private void Apply(QueuedJob job)
        {
            if (_byName.TryGetValue(job.Name, out var known))
            {
                if (known.Version >= job.Version)
                {
                    return;
                }

                _byKey.Remove(known.QueueKey);
                _byName.Remove(job.Name);
            }

            if (job.State.IsWaiting())
            {
                _byKey[job.QueueKey] = job;
                _byName[job.Name] = job;
            }
        }
    }
}
