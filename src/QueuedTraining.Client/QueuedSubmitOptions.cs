namespace QueuedTraining.Client;

/// <summary>Per-call settings of a submission through <see cref="QueuedSageMakerTrainingClient"/>.</summary>
public sealed class QueuedSubmitOptions
{
    /// <summary>
    /// The job's priority (higher runs first). It replaces a priority tag the request already has; when null, the
    /// request's tag stands, or <see cref="TrainingQueueClientOptions.DefaultPriority"/> when it has none.
    /// </summary>
    public int? Priority { get; set; }

    /// <summary>The idempotency key of the submission; a new one is made when null. At most 256 characters.</summary>
    public string? IdempotencyKey { get; set; }
}
