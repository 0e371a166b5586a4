using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client;

/// <summary>How a queued job ended.</summary>
public enum QueuedJobOutcomeKind
{
    /// <summary>Training finished successfully.</summary>
    Completed,

    /// <summary>Training failed; <see cref="QueuedJobOutcome.Reason"/> says why.</summary>
    Failed,

    /// <summary>Stopped while it ran, at a user's request or outside the queue.</summary>
    Stopped,

    /// <summary>Cancelled while it waited.</summary>
    Cancelled,
}

/// <summary>The end of a queued job, as <see cref="TrainingJobWaiter.WaitUntilEndedAsync"/> returns it.</summary>
/// <param name="Kind">How it ended.</param>
/// <param name="Reason">The failure reason of a failed job, or why it was stopped or cancelled; null when none was given.</param>
/// <param name="Status">The job's last status.</param>
public sealed record QueuedJobOutcome(QueuedJobOutcomeKind Kind, string? Reason, QueuedJobStatus Status)
{
    /// <summary>The outcome of a job in a terminal state.</summary>
    /// <param name="status">The job's status; it must be terminal.</param>
    /// <returns>Completed, failed (with the reason), stopped or cancelled.</returns>
    /// <exception cref="ArgumentException">The job has not ended.</exception>
    public static QueuedJobOutcome From(QueuedJobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var kind = status.State switch
        {
            JobState.Completed => QueuedJobOutcomeKind.Completed,
            JobState.Failed => QueuedJobOutcomeKind.Failed,
            JobState.Stopped => QueuedJobOutcomeKind.Stopped,
            JobState.Cancelled => QueuedJobOutcomeKind.Cancelled,
            _ => throw new ArgumentException($"Training job '{status.Name}' has not ended; it is {status.State}.", nameof(status)),
        };
        var reason = kind == QueuedJobOutcomeKind.Failed
            ? (status.Job.Attempts.Count > 0 ? status.Job.Attempts[^1].Reason : null) ?? status.Reason
            : status.Reason;
        return new QueuedJobOutcome(kind, reason, status);
    }
}
