namespace QueuedTraining.Core.Jobs;

/// <summary>What can happen to a queued job; <see cref="JobLifecycle"/> says where each event may move it.</summary>
public enum JobEvent
{
    /// <summary>The scheduler claimed instances for a new attempt (a fenced write before SageMaker is called).</summary>
    StartClaimed,

    /// <summary>SageMaker accepted the attempt's CreateTrainingJob, or reported it in progress.</summary>
    StartConfirmed,

    /// <summary>SageMaker refused the attempt for now (capacity, quota, throttling, an outage): back to the queue with back-off.</summary>
    StartDeferred,

    /// <summary>SageMaker rejected the request as invalid: it can never start.</summary>
    StartRejected,

    /// <summary>The scheduler asked the attempt to stop to make room for a higher-priority job.</summary>
    PreemptRequested,

    /// <summary>A user asked the queue to stop the job.</summary>
    StopRequested,

    /// <summary>SageMaker reports the attempt stopping although the queue did not ask.</summary>
    StoppingOutsideQueue,

    /// <summary>SageMaker reports the attempt completed.</summary>
    AttemptCompleted,

    /// <summary>SageMaker reports the attempt failed.</summary>
    AttemptFailed,

    /// <summary>SageMaker reports the attempt stopped.</summary>
    AttemptStopped,

    /// <summary>SageMaker has no record of the attempt (a lost create, a deleted job).</summary>
    AttemptVanished,

    /// <summary>A user cancelled the job while it waited.</summary>
    Cancelled,

    /// <summary>A user changed the job's priority; the job stays where it is.</summary>
    PriorityChanged,

    /// <summary>
    /// An operator released the job's instances because its SageMaker job is gone or is not the queue's: the job
    /// ends stopped without waiting for a state change that will never come.
    /// </summary>
    Released,
}
