using QueuedTraining.Contracts.Queue;

namespace QueuedTraining.Core.Jobs;

/// <summary>
/// Every legal move of a queued job, in one table: state × event → state, and the history entry the move writes.
/// A job's state changes only here; an event that is not legal in the job's state is refused. docs/job-states.md
/// prints the same table and a test compares the two.
/// </summary>
public static class JobLifecycle
{
    /// <summary>
    /// Where <paramref name="event"/> moves a job in <paramref name="from"/>, or null when the move is illegal.
    /// <paramref name="ranBefore"/> matters only for moves back to the queue: a job that keeps an earlier attempt
    /// has run and waits to <em>resume</em> (<see cref="JobState.Preempted"/>), otherwise it is <see cref="JobState.Pending"/>.
    /// </summary>
    public static JobState? Next(JobState from, JobEvent @event, bool ranBefore) => (from, @event) switch
    {
        (JobState.Pending or JobState.Preempted, JobEvent.StartClaimed) => JobState.Starting,
        (JobState.Starting, JobEvent.StartConfirmed) => JobState.Running,
        (JobState.Starting, JobEvent.StartDeferred) => Waiting(ranBefore),
        (JobState.Starting, JobEvent.StartRejected) => JobState.Failed,
        (JobState.Running, JobEvent.PreemptRequested) => JobState.Preempting,
        (JobState.Starting or JobState.Running or JobState.Preempting, JobEvent.StopRequested) => JobState.Stopping,
        (JobState.Starting or JobState.Running, JobEvent.StoppingOutsideQueue) => JobState.Stopping,
        (JobState.Starting or JobState.Running or JobState.Preempting or JobState.Stopping, JobEvent.AttemptCompleted) => JobState.Completed,
        (JobState.Starting or JobState.Running or JobState.Preempting or JobState.Stopping, JobEvent.AttemptFailed) => JobState.Failed,
        (JobState.Preempting, JobEvent.AttemptStopped) => JobState.Preempted,
        (JobState.Starting or JobState.Running or JobState.Stopping, JobEvent.AttemptStopped) => JobState.Stopped,
        (JobState.Running or JobState.Preempting, JobEvent.AttemptVanished) => Waiting(ranBefore),
        (JobState.Stopping, JobEvent.AttemptVanished) => JobState.Stopped,
        (JobState.Pending or JobState.Preempted, JobEvent.Cancelled) => JobState.Cancelled,
        (_, JobEvent.PriorityChanged) when !from.IsTerminal() => from,
        (_, JobEvent.Released) when from.HoldsCapacity() => JobState.Stopped,
        _ => null,
    };

    /// <summary>True when <paramref name="event"/> may happen to <paramref name="job"/> now.</summary>
    public static bool Allows(QueuedJob job, JobEvent @event)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Next(job.State, @event, RanBefore(job, @event)) is not null;
    }

    /// <summary>
    /// A newly submitted job: <see cref="JobState.Pending"/>, with its first history entry. The one way a job enters the lifecycle.
    /// </summary>
    public static QueuedJob Submitted(QueuedJob draft, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return Record(draft with { History = [] }, JobState.Pending, reason, at);
    }

    /// <summary>
    /// Moves <paramref name="job"/> by <paramref name="event"/> and records <paramref name="reason"/> in its history.
    /// Throws <see cref="IllegalJobTransitionException"/> when the move is not in the table.
    /// </summary>
    /// <remarks>
    /// A move back to the queue (<see cref="JobEvent.StartDeferred"/>, <see cref="JobEvent.AttemptVanished"/>) also drops the
    /// attempt that never ran, so the job's attempts are exactly the SageMaker jobs that existed.
    /// </remarks>
    public static QueuedJob Move(QueuedJob job, JobEvent @event, string reason, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(reason);
        var to = Next(job.State, @event, RanBefore(job, @event)) ?? throw new IllegalJobTransitionException(job.Name, job.State, @event);
        if (@event is JobEvent.StartDeferred or JobEvent.AttemptVanished && to.IsWaiting() && !job.Attempts.IsEmpty)
        {
            job = job with { Attempts = job.Attempts.RemoveAt(job.Attempts.Count - 1) };
        }

        return Record(job, to, reason, at);
    }

    /// <summary>A job returning to the queue has run before when it keeps an attempt besides the one being dropped.</summary>
    private static bool RanBefore(QueuedJob job, JobEvent @event) =>
        @event is JobEvent.StartDeferred or JobEvent.AttemptVanished ? job.Attempts.Count > 1 : !job.Attempts.IsEmpty;

    private static JobState Waiting(bool ranBefore) => ranBefore ? JobState.Preempted : JobState.Pending;

    private static QueuedJob Record(QueuedJob job, JobState state, string reason, DateTimeOffset at)
    {
        var history = job.History.Add(new JobHistoryEntry(at, state, reason));
        if (history.Count > QueuedJob.MaxHistoryEntries)
        {
            history = history.RemoveRange(0, history.Count - QueuedJob.MaxHistoryEntries);
        }

        DateTimeOffset? endedAt = state.IsTerminal() ? job.EndedAt ?? at : null;
        return job with { State = state, Reason = reason, UpdatedAt = at, EndedAt = endedAt, History = history };
    }
}

/// <summary>An event arrived that the job's state does not allow: a bug in the caller, never a user's mistake.</summary>
public sealed class IllegalJobTransitionException(string jobName, JobState state, JobEvent @event)
    : Contracts.QueuedTrainingException($"Training job '{jobName}' cannot take {@event} while it is {state.ToString().ToLowerInvariant()}.")
{
    /// <summary>The job's state when the event arrived.</summary>
    public JobState State { get; } = state;

    /// <summary>The refused event.</summary>
    public JobEvent Event { get; } = @event;
}
