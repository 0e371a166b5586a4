using System.Threading.Channels;

namespace QueuedTraining.Core.Scheduling;

/// <summary>
/// Wakes the scheduler: submit, cancel, priority change and state changes call <see cref="Signal"/>.
/// Signals that arrive while a pass runs collapse into one more pass.
/// </summary>
public sealed class SchedulerSignal
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Asks for a scheduling pass soon.</summary>
    public void Signal() => _pending.Writer.TryWrite(true);

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
