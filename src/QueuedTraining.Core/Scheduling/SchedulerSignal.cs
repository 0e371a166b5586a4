using System.Threading.Channels;

namespace QueuedTraining.Core.Scheduling;

/// <summary>
/// Wakes the scheduler and says which pools changed: submit, cancel, priority change and state changes
/// signal the job's pool. Signals that arrive while a pass runs collapse into one more pass over the pools
/// they named, so a burst of submissions to one pool costs one pass of that pool, not one of every pool each.
/// </summary>
internal sealed class SchedulerSignal
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly Lock _gate = new();
    private HashSet<string> _dirtyPools = new(StringComparer.Ordinal);
    private bool _allDirty;
    private long _changes;

    /// <summary>
    /// Counts the changes this process has signalled and the scheduling passes it has finished: anything that can move a
    /// job in line moves it. Cached forecasts are keyed by it.
    /// </summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Asks for a scheduling pass soon: of <paramref name="instanceType"/>'s pool, or of every pool when null.</summary>
    public void Signal(string? instanceType = null)
    {
        Interlocked.Increment(ref _changes);
        lock (_gate)
        {
            if (instanceType is null)
            {
                _allDirty = true;
            }
            else
            {
                _dirtyPools.Add(instanceType);
            }
        }

        _pending.Writer.TryWrite(true);
    }

    /// <summary>Wakes the scheduler's loop without naming a pool: a pass of a pool finished and its slot is free.</summary>
    internal void Wake()
    {
        Interlocked.Increment(ref _changes);
        _pending.Writer.TryWrite(true);
    }

    /// <summary>The pools signalled since the last call, or null when every pool should be looked at.</summary>
    public IReadOnlySet<string>? TakeSignalledPools()
    {
        lock (_gate)
        {
            var pools = _allDirty ? null : _dirtyPools;
            _allDirty = false;
            _dirtyPools = new HashSet<string>(StringComparer.Ordinal);
            return pools;
        }
    }

    /// <summary>Waits for a signal or the timeout (measured by <paramref name="timeProvider"/>); true when signalled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (_pending.Reader.TryRead(out _))
        {
            return true;
        }

        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await _pending.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
