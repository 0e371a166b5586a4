using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.StateChanges;

/// <summary>
/// How a SageMaker status of a job's current attempt moves the queued job. Pure: the same change applied
/// twice changes nothing the second time, so duplicate events and polling are harmless.
/// </summary>
public static class AttemptStateTransitions
{
    /// <summary>The job after <paramref name="change"/>, or null when the change does not move it.</summary>
    public static QueuedJob? Apply(QueuedJob job, TrainingJobStateChange change)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(change);
        var attempt = job.CurrentAttempt;
        if (attempt is null || attempt.SageMakerJobName != change.TrainingJobName || attempt.EndedAt is not null || job.State.IsTerminal())
        {
            return null;
        }

        var name = change.TrainingJobName;
        var at = change.At;
        switch (change.TrainingJobStatus)
        {
            case TrainingJobStatus.InProgress when job.State == JobState.Starting:
                return job.TransitionTo(JobState.Running, $"running as SageMaker job {name}", at)
                    .WithCurrentAttempt(attempt with { Outcome = TrainingJobStatus.InProgress });

            case TrainingJobStatus.Stopping when job.State is JobState.Starting or JobState.Running:
                return job.TransitionTo(JobState.Stopping, $"SageMaker job {name} is being stopped outside the queue", at);

            case TrainingJobStatus.Completed:
                return End(job, attempt, JobState.Completed, $"SageMaker job {name} completed", change);

            case TrainingJobStatus.Failed:
                return End(job, attempt, JobState.Failed, $"SageMaker job {name} failed: {change.FailureReason ?? "no reason given"}", change);

            case TrainingJobStatus.Stopped when job.State == JobState.Preempting:
                // Back in the queue with its original enqueue time, so it resumes ahead of later jobs of its priority.
                return End(job, attempt, JobState.Preempted, $"{job.Reason}; SageMaker job {name} stopped, waiting to resume", change);

            case TrainingJobStatus.Stopped when job.State == JobState.Stopping:
                return End(job, attempt, JobState.Stopped, $"SageMaker job {name} stopped", change);

            case TrainingJobStatus.Stopped:
                return End(job, attempt, JobState.Stopped, $"SageMaker job {name} was stopped outside the queue", change);

            default:
                return null;
        }
    }

    /// <summary>
    /// A job whose current attempt SageMaker no longer knows goes back to the queue, keeping its place.
    /// A starting job is never requeued this way: its Create may still be on its way (from a paused replica),
    /// so the scheduler re-sends that Create instead and the instances stay held.
    /// </summary>
    public static QueuedJob? Requeue(QueuedJob job, string attemptName, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(job);
        var attempt = job.CurrentAttempt;
        if (attempt is null || attempt.SageMakerJobName != attemptName || attempt.EndedAt is not null || !job.State.HoldsCapacity() || job.State == JobState.Starting)
        {
            return null;
        }

        if (job.State == JobState.Stopping)
        {
            return job.TransitionTo(JobState.Stopped, $"SageMaker has no record of {attemptName}; nothing left to stop", at)
                .WithCurrentAttempt(attempt with { EndedAt = at, Outcome = "NotFound" });
        }

        var waiting = job.TransitionTo(JobState.Pending, $"requeued: SageMaker has no record of {attemptName}", at);
        return waiting with { Attempts = job.Attempts.RemoveAt(job.Attempts.Count - 1) };
    }

    private static QueuedJob End(QueuedJob job, JobAttempt attempt, JobState state, string reason, TrainingJobStateChange change) =>
        job.TransitionTo(state, reason, change.At)
            .WithCurrentAttempt(attempt with { EndedAt = change.At, Outcome = change.TrainingJobStatus, Reason = change.FailureReason ?? attempt.Reason });
}
