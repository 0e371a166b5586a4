using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Checkpoints;

/// <summary>
/// What S3 last said about each checkpoint location, so that choosing victims never waits on S3 nor asks it per job per
/// pass. A scheduling pass takes what is known at once (<see cref="Observe"/>); a location not asked for longer than
/// <see cref="QueueOptions.CheckpointRefreshInterval"/> is asked again in the background, at most once at a time, and the
/// answer serves the passes after it. A location no pass has looked at for a while is forgotten. Each time a read finds a
/// newer object than the last, the time between the two is a sample of how often the location is written; the median of
/// the last few samples is its period (<see cref="QueuedJob.CheckpointPeriod"/>), so that one odd gap (a missed save, a
/// resumed attempt) does not change it.
/// </summary>
internal sealed partial class CheckpointCache
{
    /// <summary>How many refresh intervals a location may go unobserved before it is forgotten.</summary>
    private const int ForgetAfterIntervals = 10;

    /// <summary>How many of the latest gaps between checkpoints the period is the median of.</summary>
    private const int PeriodSamples = 3;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ICheckpointReader _reader;
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CheckpointCache> _logger;

    /// <summary>Creates the cache over <paramref name="reader"/>.</summary>
    public CheckpointCache(ICheckpointReader reader, IOptionsMonitor<QueueOptions> options, TimeProvider time, ILogger<CheckpointCache> logger)
    {
        _reader = reader;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// <paramref name="holding"/> with each checkpointing job's <see cref="QueuedJob.LastCheckpointAt"/> as last read and
    /// its <see cref="QueuedJob.CheckpointPeriod"/> as learnt, starting a background read for locations whose answer is
    /// older than the refresh interval.
    /// </summary>
    public IReadOnlyList<QueuedJob> Observe(IReadOnlyList<QueuedJob> holding, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(holding);
        if (!_reader.CanRead)
        {
            return holding;
        }

        var interval = _options.CurrentValue.CheckpointRefreshInterval;
        foreach (var job in holding)
        {
            if (job.CheckpointS3Uri is not { } uri)
            {
                continue;
            }

            var entry = _entries.AddOrUpdate(uri, static (_, at) => new Entry(null, null, at, []), static (_, e, at) => e with { ObservedAt = at }, now);
            if (entry.ReadAt is not { } readAt || now - readAt >= interval)
            {
                StartRefresh(uri);
            }
        }

        Forget(now, interval * ForgetAfterIntervals);
        return Known(holding);
    }

    /// <summary>
    /// <paramref name="holding"/> with what is known of each checkpointing job, as <see cref="Observe"/> gives it but
    /// without asking S3 nor keeping a location from being forgotten: for reads, so that a waiting job's reason is the
    /// one the scheduler's next pass gives it.
    /// </summary>
    public IReadOnlyList<QueuedJob> Known(IReadOnlyList<QueuedJob> holding)
    {
        ArgumentNullException.ThrowIfNull(holding);
        QueuedJob[]? seen = null;
        for (var i = 0; i < holding.Count; i++)
        {
            if (holding[i].CheckpointS3Uri is { } uri && _entries.TryGetValue(uri, out var entry) && entry.Newest is { } newest)
            {
                seen ??= [.. holding];
                seen[i] = holding[i] with { LastCheckpointAt = newest, CheckpointPeriod = entry.Period };
            }
        }

        return seen ?? holding;
    }

    /// <summary>Asks S3 about <paramref name="s3Uri"/> now and keeps the answer; a failed read keeps the last answer.</summary>
    public async Task RefreshAsync(string s3Uri, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();

        // Reads may overlap (a pass's background read and a direct one) and finish in any order: an answer never
        // replaces one from a read that started later.
        var read = Interlocked.Increment(ref _reads);
        try
        {
            var newest = await _reader.GetNewestAsync(s3Uri, cancellationToken).ConfigureAwait(false);
            _entries.AddOrUpdate(
                s3Uri,
                static (_, a) => new Entry(a.Newest, a.Now, a.Now, [], a.Number),
                static (_, e, a) => e.Number > a.Number ? e : e.Read(a.Newest, a.Now) with { Number = a.Number },
                (Newest: newest, Now: now, Number: read));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Try again after another interval rather than on every pass.
            _entries.AddOrUpdate(s3Uri, static (_, n) => new Entry(null, n, n, []), static (_, e, n) => e with { ReadAt = n }, now);
            LogReadFailed(ex, s3Uri);
        }
        finally
        {
            _refreshing.TryRemove(s3Uri, out _);
        }
    }

    /// <summary>When S3 last said <paramref name="s3Uri"/> was written, if it has been asked.</summary>
    public DateTimeOffset? NewestOf(string s3Uri) => _entries.TryGetValue(s3Uri, out var entry) ? entry.Newest : null;

    /// <summary>How often <paramref name="s3Uri"/> is written, as learnt; null until two of its checkpoints were seen.</summary>
    public TimeSpan? PeriodOf(string s3Uri) => _entries.TryGetValue(s3Uri, out var entry) ? entry.Period : null;

    private readonly ConcurrentDictionary<string, byte> _refreshing = new(StringComparer.Ordinal);
    private long _reads;

    private void StartRefresh(string uri)
    {
        if (_refreshing.TryAdd(uri, 0))
        {
            // Not awaited: the pass plans with what is known, and the answer serves the next one.
            _ = Task.Run(() => RefreshAsync(uri));
        }
    }

    private void Forget(DateTimeOffset now, TimeSpan unobservedFor)
    {
        foreach (var (uri, entry) in _entries)
        {
            if (now - entry.ObservedAt > unobservedFor)
            {
                _entries.TryRemove(uri, out _);
            }
        }
    }

    [LoggerMessage(EventId = 1250, Level = LogLevel.Warning, Message = "Could not read the newest checkpoint under {S3Uri}; victims are ordered by what was read before")]
    private partial void LogReadFailed(Exception exception, string s3Uri);

    /// <param name="Newest">The newest object's time, as last read.</param>
    /// <param name="ReadAt">When S3 was last asked; null before the first answer.</param>
    /// <param name="ObservedAt">When a pass last looked at the location.</param>
    /// <param name="Gaps">The latest gaps between successive newest objects, oldest first, at most <see cref="PeriodSamples"/>.</param>
    /// <param name="Number">The number of the read whose answer this is, in the order reads started; 0 before any.</param>
    private sealed record Entry(DateTimeOffset? Newest, DateTimeOffset? ReadAt, DateTimeOffset ObservedAt, TimeSpan[] Gaps, long Number = 0)
    {
        /// <summary>The median of <see cref="Gaps"/> (the shorter middle one of an even count); null without any.</summary>
        public TimeSpan? Period => Gaps.Length == 0 ? null : Gaps.Order().ElementAt((Gaps.Length - 1) / 2);

        /// <summary>This entry after a read that found <paramref name="newest"/> at <paramref name="readAt"/>.</summary>
        public Entry Read(DateTimeOffset? newest, DateTimeOffset readAt) =>
            newest > Newest ? this with { Newest = newest, ReadAt = readAt, Gaps = [.. Gaps.TakeLast(PeriodSamples - 1), newest.Value - Newest!.Value] }
            : this with { Newest = newest, ReadAt = readAt };
    }
}
