using QueuedTraining.Core.Storage;

namespace QueuedTraining.Core.Hosting;

/// <summary>
/// What the scheduler process last said about itself: whether its loop runs, when it last went round, and the lease it
/// holds. Readiness reads it; it is written only by <see cref="SchedulerProcess"/>, one loop at a time.
/// </summary>
internal sealed class SchedulerStatus
{
    private long _lastRoundTicks = long.MinValue;
    private volatile SchedulerLease? _lease;
    private volatile bool _running;

    /// <summary>True from the loop's start until it ends, for whatever reason.</summary>
    public bool Running => _running;

    /// <summary>When the loop last went round (after taking or renewing the lease), or null before its first round.</summary>
    public DateTimeOffset? LastRoundAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastRoundTicks);
            return ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The lease this replica holds, or null when another replica schedules (or the store could not be asked).</summary>
    public SchedulerLease? Lease => _lease;

    internal void Started() => _running = true;

    internal void Stopped()
    {
        _running = false;
        _lease = null;
    }

    internal void Round(DateTimeOffset at, SchedulerLease? lease)
    {
        _lease = lease;
        Interlocked.Exchange(ref _lastRoundTicks, at.UtcTicks);
    }
}
