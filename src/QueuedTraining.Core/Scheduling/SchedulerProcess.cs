using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Core.StateChanges;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Scheduling;

/// <summary>
/// The background process that runs the scheduler. Every replica runs one; only the holder of the
/// scheduler lease decides, fenced by the lease's token. It runs a pass whenever it is signalled and
/// at least every <see cref="QueueOptions.ReconcileInterval"/>, when it also reconciles with SageMaker.
/// </summary>
public sealed partial class SchedulerProcess : BackgroundService
{
    private const int MaxPassesPerWakeUp = 4;

    private readonly IJobStore _store;
    private readonly QueueScheduler _scheduler;
    private readonly AttemptReconciler _reconciler;
    private readonly SchedulerSignal _signal;
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SchedulerProcess> _logger;

    /// <summary>Creates the process.</summary>
    public SchedulerProcess(
        IJobStore store,
        QueueScheduler scheduler,
        AttemptReconciler reconciler,
        SchedulerSignal signal,
        IOptionsMonitor<QueueOptions> options,
        TimeProvider time,
        ILogger<SchedulerProcess> logger)
    {
        _store = store;
        _scheduler = scheduler;
        _reconciler = reconciler;
        _signal = signal;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastReconcile = DateTimeOffset.MinValue;
        SchedulerLease? lease = null;
        IReadOnlySet<string>? pools = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var options = _options.CurrentValue;
            try
            {
                lease = await RenewIfDueAsync(lease, options, stoppingToken).ConfigureAwait(false);
                if (lease is not null)
                {
                    if (_time.GetUtcNow() - lastReconcile >= options.ReconcileInterval)
                    {
                        lastReconcile = _time.GetUtcNow();
                        pools = null;
                        await _reconciler.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                    }

                    for (var pass = 0; pass < MaxPassesPerWakeUp; pass++)
                    {
                        var result = await _scheduler.RunPassAsync(lease, pools, stoppingToken).ConfigureAwait(false);
                        if (!result.Retry)
                        {
                            break;
                        }
                    }
                }
            }
            catch (LeaseLostException ex)
            {
                LogLeaseLost(ex.Lease.Token);
                lease = null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // One bad pass must not end scheduling: log it and try again at the next wake-up.
                LogPassFailed(ex);
            }

            var wait = TimeSpan.FromTicks(Math.Min(options.ReconcileInterval.Ticks, options.LeaseDuration.Ticks / 3));
            try
            {
                var signalled = await _signal.WaitAsync(wait, _time, stoppingToken).ConfigureAwait(false);

                // A signal names the pools that changed; a quiet interval looks at every pool.
                pools = _signal.TakeSignalledPools() is { } changed && signalled ? changed : null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Renews the lease once a third of it has passed (or takes it when free), not on every wake-up: each
    /// renewal is a durable write, and under a stream of submissions the scheduler wakes many times a second.
    /// A lease taken over meanwhile is noticed at the next fenced write, which is refused.
    /// </summary>
    private async Task<SchedulerLease?> RenewIfDueAsync(SchedulerLease? lease, QueueOptions options, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (lease is not null && now < lease.ExpiresAt - (options.LeaseDuration * 2 / 3))
        {
            return lease;
        }

        var renewed = await _store.TryAcquireLeaseAsync(options.ReplicaId, now, options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (renewed?.Token != lease?.Token)
        {
            LogLeadership(options.ReplicaId, renewed is not null, renewed?.Token ?? 0);
        }

        return renewed;
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Replica {ReplicaId} scheduler leadership: {IsLeader} (lease token {Token})")]
    private partial void LogLeadership(string replicaId, bool isLeader, long token);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Lost the scheduler lease (token {Token}) mid-pass; its decisions were refused")]
    private partial void LogLeaseLost(long token);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "A scheduling pass failed; retrying at the next wake-up")]
    private partial void LogPassFailed(Exception exception);
}
