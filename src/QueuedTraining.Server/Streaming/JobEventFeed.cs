using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Server.Streaming;

/// <summary>
/// One reader of the store's change log per replica, fanned out to every open <c>GET /v1/events</c>. It reads only
/// while someone listens, from a little before the newest change it saw (<see cref="EventStreamOptions.Lookback"/>), and
/// drops events it already sent, so transitions any replica committed reach the subscribers of every replica.
/// </summary>
internal sealed partial class JobEventFeed(
    IJobStore store, IOptionsMonitor<EventStreamOptions> options, TimeProvider time, ILogger<JobEventFeed> logger) : BackgroundService
{
    private const int PageSize = 256;
    private readonly IJobChangeLog? _log = store as IJobChangeLog;
    private readonly ConcurrentDictionary<Channel<JobEventResource>, byte> _subscribers = new();
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _woken = new(0);
    private long _newestMs = -1;

    /// <summary>False when the store keeps no change log (a store of a host's own making); the endpoint then answers 501.</summary>
    public bool Available => _log is not null;

    /// <summary>Receives every event from now on until disposed; a subscriber that falls far behind is dropped.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<JobEventResource>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
        _subscribers[channel] = 0;
        _woken.Release();
        return new Subscription(this, channel);
    }

    /// <summary>
    /// The events after <paramref name="lastEventId"/> (at most <see cref="EventStreamOptions.ReplayWindow"/> old) that jobs'
    /// histories still hold, in id order: what a reconnecting subscriber missed.
    /// </summary>
    public async Task<IReadOnlyList<JobEventResource>> ReplayAsync(string lastEventId, CancellationToken cancellationToken)
    {
        var oldest = (time.GetUtcNow() - options.CurrentValue.ReplayWindow).ToUnixTimeMilliseconds();
        var from = Math.Max(JobEvents.MillisecondsOf(lastEventId), oldest);
        var after = string.CompareOrdinal(lastEventId, JobEvents.Before(from)) > 0 ? lastEventId : JobEvents.Before(from);
        var events = new List<JobEventResource>();
        await foreach (var job in ChangedSinceAsync(from, cancellationToken).ConfigureAwait(false))
        {
            events.AddRange(JobEvents.After(job, after));
        }

        events.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return events;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_log is null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            if (_subscribers.IsEmpty)
            {
                // Nobody listens: read nothing, and start afresh from the present when someone does.
                _newestMs = -1;
                await _woken.WaitAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await PollAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(logger, ex);
            }

            await Task.Delay(options.CurrentValue.PollInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var lookback = (long)options.CurrentValue.Lookback.TotalMilliseconds;
        if (_newestMs < 0)
        {
            _newestMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        }

        var from = _newestMs - lookback;
        var fresh = new List<JobEventResource>();
        await foreach (var job in ChangedSinceAsync(from, cancellationToken).ConfigureAwait(false))
        {
            foreach (var e in JobEvents.After(job, JobEvents.Before(from)))
            {
                if (_sent.TryAdd(e.Id, JobEvents.MillisecondsOf(e.Id)))
                {
                    fresh.Add(e);
                }
            }
        }

        fresh.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        foreach (var e in fresh)
        {
            _newestMs = Math.Max(_newestMs, JobEvents.MillisecondsOf(e.Id));
            foreach (var subscriber in _subscribers.Keys)
            {
                subscriber.Writer.TryWrite(e);
            }
        }

        // Ids older than the next read's start can never be read again; forget them.
        var horizon = _newestMs - lookback;
        foreach (var old in _sent.Where(pair => pair.Value < horizon).Select(pair => pair.Key).ToList())
        {
            _sent.Remove(old);
        }
    }

    private async IAsyncEnumerable<QueuedJob> ChangedSinceAsync(long fromMs, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = JobEvents.Before(fromMs);
        while (true)
        {
            var page = await _log!.GetChangedAfterAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var job in page)
            {
                yield return job;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = JobChangeKey.Of(page[^1]);
        }
    }

    [LoggerMessage(EventId = 4800, Level = LogLevel.Warning, Message = "Reading the store's change log for the event stream failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    /// <summary>One subscriber's events; dispose to stop receiving them.</summary>
    public sealed class Subscription(JobEventFeed feed, Channel<JobEventResource> channel) : IDisposable
    {
        /// <summary>The events, in the order the feed read them.</summary>
        public ChannelReader<JobEventResource> Events => channel.Reader;

        /// <inheritdoc />
        public void Dispose() => feed._subscribers.TryRemove(channel, out _);
    }
}
