namespace QueuedTraining.Client;

/// <summary>How <see cref="TrainingJobWaiter"/> polls.</summary>
public sealed class TrainingJobWaitOptions
{
    /// <summary>The first delay between two polls, and the delay again after each change (default 1 s).</summary>
    public TimeSpan InitialPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two polls while nothing changes (default 30 s).</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How much the delay grows after a poll that saw no change (default 1.5).</summary>
    public double BackoffFactor { get; set; } = 1.5;

    /// <summary>
    /// Follows the service's event stream (<c>GET /v1/events</c>) and reads the job when it changes, polling only every
    /// <see cref="MaxPollInterval"/> as a safety net; where the service has no stream, or it drops, polls as configured
    /// (default true).
    /// </summary>
    public bool FollowEvents { get; set; } = true;

    /// <summary>How long to wait in all; <see cref="Timeout.InfiniteTimeSpan"/> (the default) waits until the job gets there or the call is cancelled.</summary>
    public TimeSpan Timeout { get; set; } = System.Threading.Timeout.InfiniteTimeSpan;

    internal void Validate()
    {
        if (InitialPollInterval <= TimeSpan.Zero || MaxPollInterval < InitialPollInterval)
        {
            throw new ArgumentException("InitialPollInterval must be positive and not longer than MaxPollInterval.", "options");
        }

        if (!(BackoffFactor >= 1.0) || double.IsInfinity(BackoffFactor))
        {
            throw new ArgumentException("BackoffFactor must be at least 1.", "options");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("Timeout must be positive or infinite.", "options");
        }
    }
}
