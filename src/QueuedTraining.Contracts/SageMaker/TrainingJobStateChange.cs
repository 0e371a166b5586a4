namespace QueuedTraining.Contracts.SageMaker;

/// <summary>
/// A change of a SageMaker training job's status: what an EventBridge "SageMaker Training Job State
/// Change" event's detail carries, and what polling reports when it heals a lost event.
/// </summary>
/// <param name="TrainingJobName">The SageMaker job name (an attempt's name, not the queued job's).</param>
/// <param name="TrainingJobStatus">The new <see cref="SageMaker.TrainingJobStatus"/>.</param>
/// <param name="SecondaryStatus">The new secondary status, when known.</param>
/// <param name="FailureReason">Why the job failed, when it did.</param>
/// <param name="At">When the change happened.</param>
public sealed record TrainingJobStateChange(
    string TrainingJobName,
    string TrainingJobStatus,
    string? SecondaryStatus,
    string? FailureReason,
    DateTimeOffset At);
