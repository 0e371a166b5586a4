using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;

namespace QueuedTraining.Core.Jobs;

/// <summary>
/// How what SageMaker says about a job's current attempt moves the queued job, through <see cref="JobLifecycle"/>.
/// Pure: the same change applied twice changes nothing the second time, so duplicate events and polling are harmless.
/// </summary>
internal static class AttemptStateTransitions
{
    /// <summary>The job after <paramref name="change"/>, or null when the change does not move it.</summary>
    public static QueuedJob? Apply(QueuedJob job, TrainingJobStateChange change)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(change);
        var attempt = job.CurrentAttempt;
        if (attempt is null || attempt.SageMakerJobName != change.TrainingJobName || attempt.EndedAt is not null)
        {
            return null;
        }

        var name = change.TrainingJobName;
        var (@event, reason) = change.TrainingJobStatus switch
        {
            TrainingJobStatus.InProgress => (JobEvent.StartConfirmed, $"running as SageMaker job {name}"),
            TrainingJobStatus.Stopping => (JobEvent.StoppingOutsideQueue, $"SageMaker job {name} is being stopped outside the queue"),
            TrainingJobStatus.Completed => (JobEvent.AttemptCompleted, $"SageMaker job {name} completed"),
            TrainingJobStatus.Failed => (JobEvent.AttemptFailed, $"SageMaker job {name} failed: {change.FailureReason ?? "no reason given"}"),
            TrainingJobStatus.Stopped => (JobEvent.AttemptStopped, job.State switch
            {
                // Back in the queue with its original enqueue time, so it resumes ahead of later jobs of its priority.
                JobState.Preempting => $"{job.Reason}; SageMaker job {name} stopped, waiting to resume",
                JobState.Stopping => $"SageMaker job {name} stopped",
                _ => $"SageMaker job {name} was stopped outside the queue",
            }),
            _ => ((JobEvent?)null, string.Empty),
        };

        if (@event is not { } move || !JobLifecycle.Allows(job, move))
        {
            return null;
        }

        var moved = JobLifecycle.Move(job, move, reason, change.At);
        return move == JobEvent.StartConfirmed
            ? moved.WithCurrentAttempt(attempt with { Outcome = TrainingJobStatus.InProgress })
            : moved.WithCurrentAttempt(attempt with { EndedAt = change.At, Outcome = change.TrainingJobStatus, Reason = change.FailureReason ?? attempt.Reason });
    }

    /// <summary>
    /// Starting → running once SageMaker accepted the attempt's CreateTrainingJob: the same move an InProgress event makes.
    /// Null when the job is no longer starting.
    /// </summary>
    public static QueuedJob? Confirm(QueuedJob job, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.CurrentAttempt is { } attempt
            ? Apply(job, new TrainingJobStateChange(attempt.SageMakerJobName, TrainingJobStatus.InProgress, null, null, at))
            : null;
    }

    /// <summary>
    /// A job whose current attempt SageMaker no longer knows goes back to the queue, keeping its place (or, if a user was
    /// stopping it, ends stopped). A starting job is never requeued this way: its Create may still be on its way (from a
    /// paused replica), so the scheduler re-sends that Create instead and the instances stay held.
    /// </summary>
    public static QueuedJob? Requeue(QueuedJob job, string attemptName, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(job);
        var attempt = job.CurrentAttempt;
        if (attempt is null || attempt.SageMakerJobName != attemptName || attempt.EndedAt is not null || !JobLifecycle.Allows(job, JobEvent.AttemptVanished))
        {
            return null;
        }

        if (job.State == JobState.Stopping)
        {
            return JobLifecycle.Move(job, JobEvent.AttemptVanished, $"SageMaker has no record of {attemptName}; nothing left to stop", at)
                .WithCurrentAttempt(attempt with { EndedAt = at, Outcome = "NotFound" });
        }

        return JobLifecycle.Move(job, JobEvent.AttemptVanished, $"requeued: SageMaker has no record of {attemptName}", at);
    }
}
