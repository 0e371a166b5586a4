namespace QueuedTraining.Core.Jobs;

/// <summary>One SageMaker training job started for a queued job.</summary>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="SageMakerJobName">The unique SageMaker job name of this attempt.</param>
/// <param name="StartedAt">When the queue decided to start it.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Outcome">The last SageMaker status seen for it.</param>
/// <param name="Reason">SageMaker's failure reason, or why the queue ended it.</param>
/// <param name="WorkLostInstanceSeconds">
/// For an attempt the queue preempted: the work the preemption cost, in instance-seconds since its last checkpoint (or
/// since the attempt started when it has none), as the scheduler reckoned when it decided; otherwise null.
/// </param>
public sealed record JobAttempt(
    int Number,
    string SageMakerJobName,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt = null,
    string? Outcome = null,
    string? Reason = null,
    double? WorkLostInstanceSeconds = null);
