namespace QueuedTraining.PowerShell.Engine;

/// <summary>What <c>Connect-QTQueue</c> was given.</summary>
public sealed class QueueSessionSettings
{
    /// <summary>The queue service's address, for example <c>http://127.0.0.1:5080</c>.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The API key for a service in ApiKey mode; null for one that needs none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>How often a failed call is retried.</summary>
    public int MaxRetryAttempts { get; init; } = 5;

    /// <summary>The longest one call may take, its retries included.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The tag whose value is a job's priority.</summary>
    public string PriorityTagKey { get; init; } = "priority";
}
