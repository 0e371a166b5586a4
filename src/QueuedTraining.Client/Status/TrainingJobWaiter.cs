using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client;

/// <summary>
/// Asks the queue where a job stands, and waits until it starts or ends: follows the service's event stream
/// (<c>GET /v1/events</c>) and reads the job each time it changes, or, where the service has no stream, polls with a
/// growing delay (back to the first after every change); reports each change of state, queue position or reason through
/// <see cref="IProgress{T}"/>, and honours a timeout and cancellation. Time comes from <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Each status is reported on the waiting thread before the wait goes on, so with an <see cref="InlineProgress{T}"/> every
/// report has been handled when the wait returns. A <see cref="Progress{T}"/> created in a console app posts its reports
/// to the thread pool, where they may run after the outcome is printed; use it only where a UI thread's context should
/// receive them.
/// </remarks>
public sealed class TrainingJobWaiter
{
    private readonly TrainingQueueClient _client;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the waiter.</summary>
    /// <param name="client">The queue client.</param>
    /// <param name="timeProvider">The clock for poll delays and the timeout.</param>
    public TrainingJobWaiter(TrainingQueueClient client, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _client = client;
        _timeProvider = timeProvider;
    }

    /// <summary>Reads the job's status.</summary>
    /// <param name="name">The job's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job's state, queue position, reason and, while it waits, its expected start in words.</returns>
    /// <exception cref="QueuedJobNotFoundException">The queue has no job of that name.</exception>
    public async Task<QueuedJobStatus> GetStatusAsync(string name, CancellationToken cancellationToken = default)
    {
        var job = await _client.GetJobAsync(name, cancellationToken).ConfigureAwait(false);
        return new QueuedJobStatus(job) { WaitingSummary = ExpectedStartText.Describe(job, _timeProvider.GetUtcNow()) };
    }

    /// <summary>
    /// Waits until the queue has started the job (its first attempt is being created or runs) or the job ended
    /// without starting (cancelled while waiting); check <see cref="QueuedJobStatus.State"/>.
    /// </summary>
    /// <param name="name">The job's name.</param>
    /// <param name="options">Poll delays and timeout; the defaults when null.</param>
    /// <param name="progress">Receives the status at the start and after every change; see the remarks on ordering.</param>
    /// <param name="cancellationToken">Cancels the wait (not the job).</param>
    /// <returns>The status that ended the wait: started, or ended without starting.</returns>
    /// <exception cref="QueuedJobWaitTimeoutException">The timeout ran out first.</exception>
    /// <exception cref="QueuedJobNotFoundException">The queue has no job of that name.</exception>
    public Task<QueuedJobStatus> WaitUntilStartedAsync(
        string name,
        TrainingJobWaitOptions? options = null,
        IProgress<QueuedJobStatus>? progress = null,
        CancellationToken cancellationToken = default) =>
        WaitAsync(name, static s => s.HasStarted || s.IsTerminal, "start", options, progress, cancellationToken);

    /// <summary>Waits until the job has ended and returns how: completed, failed with its reason, stopped or cancelled.</summary>
    /// <param name="name">The job's name.</param>
    /// <param name="options">Poll delays and timeout; the defaults when null.</param>
    /// <param name="progress">Receives the status at the start and after every change; see the remarks on ordering.</param>
    /// <param name="cancellationToken">Cancels the wait (not the job).</param>
    /// <returns>How the job ended.</returns>
    /// <exception cref="QueuedJobWaitTimeoutException">The timeout ran out first.</exception>
    /// <exception cref="QueuedJobNotFoundException">The queue has no job of that name.</exception>
    public async Task<QueuedJobOutcome> WaitUntilEndedAsync(
        string name,
        TrainingJobWaitOptions? options = null,
        IProgress<QueuedJobStatus>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var status = await WaitAsync(name, static s => s.IsTerminal, "end", options, progress, cancellationToken).ConfigureAwait(false);
        return QueuedJobOutcome.From(status);
    }

    private async Task<QueuedJobStatus> WaitAsync(
        string name,
        Func<QueuedJobStatus, bool> done,
        string goal,
        TrainingJobWaitOptions? options,
        IProgress<QueuedJobStatus>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        options ??= new TrainingJobWaitOptions();
        options.Validate();
        using var timeout = options.Timeout == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(options.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        QueuedJobStatus? last = null;
        var delay = options.InitialPollInterval;
        await using var follower = options.FollowEvents ? JobEventFollower.Start(_client, name, linked.Token) : null;
        try
        {
            while (true)
            {
                var status = await GetStatusAsync(name, linked.Token).ConfigureAwait(false);
                if (last is null || Changed(last, status))
                {
                    progress?.Report(status);
                    delay = options.InitialPollInterval;
                }
                else
                {
                    delay = TimeSpan.FromTicks((long)Math.Min(options.MaxPollInterval.Ticks, delay.Ticks * options.BackoffFactor));
                }

                last = status;
                if (done(status))
                {
                    return status;
                }

                if (follower is { IsLive: true })
                {
                    // Every change arrives as an event; the longest poll interval is only a safety net.
                    await follower.WaitAsync(options.MaxPollInterval, _timeProvider, linked.Token).ConfigureAwait(false);
                }
                else if (follower is not null)
                {
                    // Polling, but the stream may open (or the job change) first.
                    await follower.WaitAsync(delay, _timeProvider, linked.Token).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(delay, _timeProvider, linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new QueuedJobWaitTimeoutException(
                $"Training job '{name}' did not {goal} within {options.Timeout}; it was {last?.State.ToString() ?? "unknown"}.", last, ex);
        }
        catch (TrainingQueueUnavailableException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new QueuedJobWaitTimeoutException(
                $"Training job '{name}' did not {goal} within {options.Timeout}; it was {last?.State.ToString() ?? "unknown"}.", last, ex);
        }
    }

    // The expected start is not compared: it is counted from now, so it changes on every poll.
    private static bool Changed(QueuedJobStatus before, QueuedJobStatus after) =>
        before.State != after.State || before.QueuePosition != after.QueuePosition || !string.Equals(before.Reason, after.Reason, StringComparison.Ordinal)
        || !string.Equals(before.ReasonCode, after.ReasonCode, StringComparison.Ordinal);
}
