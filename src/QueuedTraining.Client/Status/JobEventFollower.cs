namespace QueuedTraining.Client;

/// <summary>
/// Follows one job's events on <c>GET /v1/events</c> for <see cref="TrainingJobWaiter"/>, which reads the job again each
/// time something happens instead of polling on a timer. While the stream is not open (connecting, refused by an older
/// service, or dropped) <see cref="IsLive"/> is false and the waiter polls as before.
/// </summary>
internal sealed class JobEventFollower : IAsyncDisposable
{
    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stop;
    private readonly Task _reading;
    private volatile bool _live;

    private JobEventFollower(TrainingQueueClient client, string name, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _reading = Task.Run(() => ReadAsync(client, name, _stop.Token), CancellationToken.None);
    }

    /// <summary>True while the stream is open: the waiter hears of every change of the job.</summary>
    public bool IsLive => _live;

    public static JobEventFollower Start(TrainingQueueClient client, string name, CancellationToken cancellationToken) =>
        new(client, name, cancellationToken);

    /// <summary>Waits until the job changes, the stream opens or closes, or <paramref name="longest"/> passes.</summary>
    public async Task WaitAsync(TimeSpan longest, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(longest, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await _changed.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing happened for a while: the waiter reads the job anyway, a safety net for a stream gone quiet.
        }

        // One read covers every change so far.
        while (_changed.CurrentCount > 0 && _changed.Wait(0, CancellationToken.None))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _changed.Dispose();
    }

    private async Task ReadAsync(TrainingQueueClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            // Opening wakes the waiter too: a change between its last read and the subscription is read then.
            await foreach (var _ in client.ReadJobEventsAsync(name, lastEventId: null, opened: Opened, cancellationToken).ConfigureAwait(false))
            {
                _changed.Release();
            }
        }
        catch (Exception ex) when (ex is TrainingQueueException or HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
        {
            // No stream (an older service answers 404), or it broke: the waiter polls from now on.
        }
        finally
        {
            _live = false;
            if (!cancellationToken.IsCancellationRequested)
            {
                _changed.Release();
            }
        }

        void Opened()
        {
            _live = true;
            _changed.Release();
        }
    }
}
