using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Client;

/// <summary>Where a queued job stands: what <see cref="TrainingJobWaiter"/> reports on every change.</summary>
/// <param name="Job">The job as the queue service shows it.</param>
public sealed record QueuedJobStatus(TrainingJobResource Job)
{
    /// <summary>The job's name.</summary>
    public string Name => Job.Name;

    /// <summary>The job's state.</summary>
    public JobState State => Job.State;

    /// <summary>1 for the next job of its pool to start, while it waits; otherwise null.</summary>
    public long? QueuePosition => Job.QueuePosition;

    /// <summary>Why it waits, was preempted, stopped or failed.</summary>
    public string? Reason => Job.Reason;

    /// <summary>When the queue expects the job to start, while it waits and has a forecast; otherwise null.</summary>
    public ExpectedStartResource? ExpectedStart => Job.ExpectedStart;

    /// <summary>
    /// While it waits, its place and expected start in words, counted from when it was read: "3rd in line; expected to
    /// start in 40 min – 2 h 10 min" (see <see cref="ExpectedStartText"/>); otherwise null.
    /// </summary>
    public string? WaitingSummary { get; init; }

    /// <summary>The stable code of <see cref="Reason"/> from the queue's reason catalog, when the service gives one.</summary>
    public string? ReasonCode => Job.ReasonCode;

    /// <summary>True while the job waits in the queue (pending or preempted).</summary>
    public bool IsWaiting => Job.State.IsWaiting();

    /// <summary>True once the job can never change again.</summary>
    public bool IsTerminal => Job.State.IsTerminal();

    /// <summary>True once the queue has started an attempt of the job and it no longer waits (it may have ended since).</summary>
    public bool HasStarted => !IsWaiting && (Job.Attempts.Count > 0 || Job.State.HoldsCapacity() || Job.CurrentAttemptName is not null);
}
