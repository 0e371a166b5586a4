using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QueuedTraining.Core.Diagnostics;
using QueuedTraining.Core.Scheduling;
using QueuedTraining.Core.StateChanges;
using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Hosting;

/// <summary>
/// The background process that runs the scheduler. Every replica runs one; only the holder of the scheduler lease
/// decides, fenced by the lease's token. Each pool's passes run on their own, at most
/// <see cref="QueueOptions.MaxConcurrentPools"/> at once: a pool whose SageMaker calls are slow never holds up another.
/// A pool is passed whenever it is signalled, and every pool at least every <see cref="QueueOptions.ReconcileInterval"/>,
/// when the process also reconciles with SageMaker and removes finished jobs past their retention.
/// </summary>
internal sealed partial class SchedulerProcess : BackgroundService
{
    private const int MaxPassesPerWakeUp = 4;

    private readonly MeteredJobStore _store;
    private readonly QueueScheduler _scheduler;
    private readonly AttemptReconciler _reconciler;
    private readonly FinishedJobSweeper _sweeper;
    private readonly SchedulerSignal _signal;
    private readonly IOptionsMonitor<QueueOptions> _options;
    private readonly TimeProvider _time;
    private readonly SchedulerStatus _status;
    private readonly ILogger<SchedulerProcess> _logger;
    // A pass leaves this set before it wakes the loop, so the loop never sees its pool as busy after the wake-up.
    private readonly ConcurrentDictionary<string, bool> _passing = new(StringComparer.Ordinal);
    private readonly List<Task> _passes = [];
    private volatile bool _leaseLost;

    /// <summary>Creates the process.</summary>
    public SchedulerProcess(
        IJobStore store,
        QueueScheduler scheduler,
        AttemptReconciler reconciler,
        FinishedJobSweeper sweeper,
        SchedulerSignal signal,
        IOptionsMonitor<QueueOptions> options,
        TimeProvider time,
        SchedulerStatus status,
        QueueMetrics metrics,
        ILogger<SchedulerProcess> logger)
    {
        _store = new MeteredJobStore(store, metrics);
        _scheduler = scheduler;
        _reconciler = reconciler;
        _sweeper = sweeper;
        _signal = signal;
        _options = options;
        _time = time;
        _status = status;
        _logger = logger;
    }

    /// <summary>
    /// The longest the loop sleeps between two rounds: a signal wakes it sooner. The lease is renewed well within its
    /// duration and every pool is looked at every reconcile interval.
    /// </summary>
    internal static TimeSpan RoundInterval(QueueOptions options) =>
        TimeSpan.FromTicks(Math.Min(options.ReconcileInterval.Ticks, options.LeaseDuration.Ticks / 3));

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastReconcile = DateTimeOffset.MinValue;
        SchedulerLease? lease = null;
        HashSet<string>? due = null;
        _status.Started();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var options = _options.CurrentValue;
                try
                {
                    _passes.RemoveAll(pass => pass.IsCompleted);
                    if (_leaseLost)
                    {
                        _leaseLost = false;
                        lease = null;
                    }

                    lease = await RenewIfDueAsync(lease, options, stoppingToken).ConfigureAwait(false);
                    if (lease is not null)
                    {
                        if (_time.GetUtcNow() - lastReconcile >= options.ReconcileInterval)
                        {
                            lastReconcile = _time.GetUtcNow();
                            due = null;
                            await _reconciler.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                            await _sweeper.SweepOnceAsync(stoppingToken).ConfigureAwait(false);
                        }

                        due = Dispatch(due ?? [.. options.Capacity.Keys], lease, options, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // One bad round must not end scheduling: log it and try again at the next wake-up.
                    LogPassFailed(ex);
                }

                _status.Round(_time.GetUtcNow(), lease);
                var signalled = await _signal.WaitAsync(RoundInterval(options), _time, stoppingToken).ConfigureAwait(false);

                // A signal names the pools that changed; a quiet interval looks at every pool.
                var changed = signalled ? _signal.TakeSignalledPools() : null;
                due = changed is null ? null : [.. changed, .. due ?? []];
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _status.Stopped();
            await Task.WhenAll(_passes).ConfigureAwait(false);
        }
    }

    /// <summary>Starts a pass of each due pool that is not passing already; returns the pools that must wait their turn.</summary>
    private HashSet<string>? Dispatch(HashSet<string> pools, SchedulerLease lease, QueueOptions options, CancellationToken stoppingToken)
    {
        HashSet<string>? waiting = null;
        foreach (var pool in pools)
        {
            if (_passing.Count >= options.MaxConcurrentPools || !_passing.TryAdd(pool, true))
            {
                (waiting ??= new HashSet<string>(StringComparer.Ordinal)).Add(pool);
                continue;
            }

            _passes.Add(RunPoolAsync(pool, lease, stoppingToken));
        }

        return waiting ?? [];
    }

    /// <summary>Passes one pool until it settles; on the way out it wakes the loop so the pool's slot is reused.</summary>
    private async Task RunPoolAsync(string pool, SchedulerLease lease, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            for (var pass = 0; pass < MaxPassesPerWakeUp; pass++)
            {
                var result = await _scheduler.RunPoolAsync(pool, lease, stoppingToken).ConfigureAwait(false);
                if (!result.Retry)
                {
                    break;
                }
            }
        }
        catch (LeaseLostException ex)
        {
            LogLeaseLost(ex.Lease.Token);
            _leaseLost = true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogPassFailed(ex);
        }
        finally
        {
            _passing.TryRemove(pool, out _);
            _signal.Wake();
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

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Replica {ReplicaId} scheduler leadership: {IsLeader} (lease token {Token})")]
    private partial void LogLeadership(string replicaId, bool isLeader, long token);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Lost the scheduler lease (token {Token}) mid-pass; its decisions were refused")]
    private partial void LogLeaseLost(long token);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Error, Message = "A scheduling pass failed; retrying at the next wake-up")]
    private partial void LogPassFailed(Exception exception);
}
